package dev.resilience.circuitbreaker.internal;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.core.Scheduled;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * HALF_OPEN: lets exactly the configured number of trial calls through (an ignored outcome gives its permit back)
 * and, once all of them are recorded, closes the breaker or opens it again by their rates. With a maximum wait in
 * HALF_OPEN, opens again when that wait passes first.
 */
final class HalfOpenState extends BreakerState {

    private final long enteredAt;
    /** The trial calls, fixed as the state is entered: a change of configuration applies from the next HALF_OPEN. */
    private final int calls;
    /** The longest stay, fixed as the state is entered (0: none). */
    private final long maxHalfOpenNanos;
    private final AtomicInteger permits;
    private final CountWindow window;
    /** The opening this trial follows (0: none), so that failing it opens for longer. */
    private final int opening;
    private volatile Scheduled timer;

    HalfOpenState(CircuitBreakerImpl breaker, int opening) {
        super(breaker);
        this.enteredAt = breaker.clock.nanoTime();
        BreakerSettings settings = breaker.settings;
        this.calls = settings.halfOpenCalls;
        this.maxHalfOpenNanos = settings.maxHalfOpenNanos;
        this.permits = new AtomicInteger(calls);
        this.window = new CountWindow(calls);
        this.opening = opening;
    }

    @Override
    int opening() {
        return opening;
    }

    @Override
    State state() {
        return State.HALF_OPEN;
    }

    @Override
    long tryAcquire() {
        if (maxHalfOpenNanos > 0 && breaker.clock.nanoTime() - enteredAt >= maxHalfOpenNanos) {
            breaker.transition(this, new OpenState(breaker, this, -1f, -1f, CONFIGURED_WAIT));
            return RETRY;
        }
        int available;
        while ((available = permits.get()) > 0) {
            if (permits.compareAndSet(available, available - 1)) {
                return PERMIT;
            }
        }
        return REJECT;
    }

    @Override
    void release() {
        permits.incrementAndGet();
    }

    @Override
    void record(int category, long nowNanos) {
        long aggregate = window.record(category);
        int buffered = CountWindow.buffered(aggregate);
        if (buffered < calls) {
            return;
        }
        float failureRate = CountWindow.failed(aggregate) * 100f / buffered;
        float slowRate = CountWindow.slow(aggregate) * 100f / buffered;
        BreakerSettings settings = breaker.settings;
        if (failureRate >= settings.failureThreshold || slowRate >= settings.slowThreshold) {
            breaker.openOnRates(this, failureRate, slowRate);
        } else {
            breaker.transition(this, new ClosedState(breaker));
        }
    }

    @Override
    void enter() {
        if (maxHalfOpenNanos > 0 && maxHalfOpenNanos != Long.MAX_VALUE) {
            timer = breaker.clock.schedule(() -> {
                if (breaker.state.get() == this) {
                    breaker.transition(this, new OpenState(breaker, this, -1f, -1f, CONFIGURED_WAIT));
                }
            }, maxHalfOpenNanos);
            breaker.cancelTimerIfLeft(this, timer);
        }
    }

    @Override
    void exit() {
        Scheduled t = timer;
        if (t != null) {
            t.cancel();
        }
    }

    @Override
    long[] frozenCounts() {
        return BreakerTotals.countsOf(window.snapshot());
    }

    @Override
    int minimumCalls() {
        return calls;
    }

    @Override
    CircuitBreakerMetrics metrics(long notPermittedCalls) {
        return breaker.totals.metrics(State.HALF_OPEN, frozenCounts(), calls, notPermittedCalls);
    }
}

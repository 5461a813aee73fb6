package dev.resilience.circuitbreaker.internal;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.core.Scheduled;

/**
 * OPEN: rejects every call until its wait has passed, then gives way to HALF_OPEN, on the first call that finds the
 * wait over or, with automatic transition enabled, on a timer. Shows the counts of the state it left.
 *
 * <p>Consecutive openings (OPEN, HALF_OPEN whose trials fail, OPEN again) are numbered from 1, so that each waits
 * {@code min(wait * multiplier^(n-1), max)} ({@link CircuitBreakerImpl#openWaitNanos}).
 */
final class OpenState extends BreakerState {

    private final long openedAt;
    private final long[] counts;
    private final int minimumCalls;
    /** The rates that opened the breaker, or -1 when something else did. */
    final float failureRate;
    final float slowRate;
    private final int opening;
    /** How long this opening lasts, in nanoseconds; {@link Long#MAX_VALUE}: for ever. */
    private final long waitNanos;
    private volatile Scheduled timer;

    /**
     * @param breaker the breaker
     * @param from the state being left, whose window is shown while OPEN and whose opening number this continues
     * @param failureRate the failure rate that opened the breaker, or -1
     * @param slowRate the slow-call rate that opened the breaker, or -1
     * @param waitNanos how long to stay OPEN, or {@link #CONFIGURED_WAIT} for this opening's configured wait
     */
    OpenState(CircuitBreakerImpl breaker, BreakerState from, float failureRate, float slowRate, long waitNanos) {
        super(breaker);
        this.openedAt = breaker.clock.nanoTime();
        this.counts = from.frozenCounts();
        this.minimumCalls = from.minimumCalls();
        this.failureRate = failureRate;
        this.slowRate = slowRate;
        this.opening = CircuitBreakerImpl.nextOpening(from);
        this.waitNanos = waitNanos == CONFIGURED_WAIT ? breaker.openWaitNanos(opening) : waitNanos;
    }

    @Override
    int opening() {
        return opening;
    }

    @Override
    State state() {
        return State.OPEN;
    }

    @Override
    long tryAcquire() {
        long elapsed = breaker.clock.nanoTime() - openedAt;
        if (elapsed >= waitNanos) {
            breaker.transition(this, new HalfOpenState(breaker, opening));
            return RETRY;
        }
        return waitNanos - elapsed;
    }

    @Override
    void enter() {
        // A saturated wait ends never: a timer for it could only wait (or, on a clock adding it, overflow).
        if (breaker.settings.config.automaticTransitionFromOpenToHalfOpenEnabled() && waitNanos != Long.MAX_VALUE) {
            timer = breaker.clock.schedule(() -> {
                if (breaker.state.get() == this) {
                    breaker.transition(this, new HalfOpenState(breaker, opening));
                }
            }, waitNanos);
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
        return counts.clone();
    }

    @Override
    int minimumCalls() {
        return minimumCalls;
    }

    @Override
    CircuitBreakerMetrics metrics(long notPermittedCalls) {
        return breaker.totals.metrics(State.OPEN, counts, minimumCalls, notPermittedCalls);
    }
}

package dev.resilience.circuitbreaker.internal;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;

import java.util.concurrent.atomic.AtomicReference;

/**
 * CLOSED: admits every call and records its outcome into a sliding window (a {@link CountWindow} or a
 * {@link TimeWindow}, by the config), opening the breaker when, with at least the minimum number of calls in the
 * window, the failure rate or the slow-call rate reaches its threshold.
 *
 * <p>A fast success that cannot open the breaker does not enter the window at once: it is counted in
 * {@link DeferredSuccesses} (for a TIME_BASED window, one per second, while that second is the window's latest), and
 * every other outcome, every metrics snapshot, the transition out of CLOSED and the start of a new second first move
 * those successes into the window. Concurrent callers succeeding therefore write no shared cache line, and the window
 * sees the successes no later than the next outcome that could change a decision.
 */
final class ClosedState extends BreakerState {

    private final CountWindow countWindow;
    private final TimeWindow timeWindow;
    /**
     * Fast successes not yet in the window: a striped counter, so that two threads recording successes write
     * different cache lines instead of taking turns on the window. A time window gets a new one for each second.
     */
    private final AtomicReference<DeferredSuccesses> deferred;

    ClosedState(CircuitBreakerImpl breaker) {
        super(breaker);
        if (breaker.timeBased) {
            countWindow = null;
            timeWindow = new TimeWindow(breaker.config.slidingWindowSize(), breaker.clock.nanoTime());
            deferred = new AtomicReference<>(new DeferredSuccesses(timeWindow.latestSecond()));
        } else {
            countWindow = new CountWindow(breaker.config.slidingWindowSize());
            timeWindow = null;
            deferred = new AtomicReference<>(new DeferredSuccesses(0L));
        }
    }

    @Override
    State state() {
        return State.CLOSED;
    }

    @Override
    long tryAcquire() {
        return PERMIT;
    }

    @Override
    boolean needsTime() {
        return breaker.timeBased;
    }

    @Override
    void record(int category, long nowNanos) {
        flushDeferred(deferred.get());
        if (countWindow != null) {
            evaluate(countWindow.record(category));
            return;
        }
        timeWindow.record(category, nowNanos);
        DeferredSuccesses current = deferred.get();
        if (current.second < timeWindow.latestSecond()
                && deferred.compareAndSet(current, new DeferredSuccesses(timeWindow.latestSecond()))) {
            flushDeferred(current); // successes a racing call added to the second just left
        }
        evaluateTimeWindow();
    }

    /**
     * A fast success that cannot open the breaker waits in {@link #deferred}, so that concurrent successes write no
     * shared cache line; for a time window only while its second is the window's latest (the first success of a
     * new second takes the usual path, which moves the window on). It is added to the window and the running
     * total by the next flush: any other outcome, a metrics read, the state's exit or the start of a new second.
     * The counter is raised before the state and the current {@link DeferredSuccesses} are read again, and whoever
     * retires either reads the counter after retiring it, so at least one of them sees the success, and
     * {@link DeferredSuccesses#take()} makes sure that only one counts it.
     */
    @Override
    boolean deferSuccess(long nowNanos) {
        DeferredSuccesses d = deferred.get();
        if (countWindow != null) {
            if (!mayDefer(countWindow.snapshot())) {
                return false;
            }
        } else if (timeWindow.secondOf(nowNanos) != d.second || !mayDeferInTimeWindow()) {
            return false;
        }
        d.count.increment();
        if (breaker.state.get() != this || deferred.get() != d) {
            flushDeferred(d);
        }
        return true;
    }

    @Override
    void exit() {
        flushDeferred(deferred.get());
    }

    /**
     * Whether a fast success may wait in {@link #deferred} instead of entering the window now: only when entering
     * now could not open the breaker. A success never raises a rate, so it can only open the breaker by bringing
     * the window up to the minimum number of calls; with the minimum already reached, or with nothing but fast
     * successes in the window (thresholds are above 0 %), it cannot. In a count window both conditions stay true
     * until the window is replaced: the buffered count never shrinks, and every other outcome flushes the
     * deferred successes before it enters. In a time window seconds expire; deferred successes are then
     * evaluated when they enter, as if they had ended then.
     */
    private boolean mayDefer(long aggregate) {
        return (aggregate & ~CountWindow.FIELD_MASK) == 0
                || CountWindow.buffered(aggregate) >= breaker.closedMinimumCalls;
    }

    private boolean mayDeferInTimeWindow() {
        return timeWindow.onlyFastSuccessesOrAtLeast(breaker.closedMinimumCalls);
    }

    /**
     * Moves the successes of {@code d} not yet taken into the running total and, while this state is current,
     * into the window, all at once: into a count window as one batch (more than its size of them leave the same
     * window as exactly its size), or into their second of a time window. Either is evaluated at the first count
     * that reaches the minimum, where the failure rate is highest; recording them one by one, each evaluated,
     * could open the breaker there and nowhere else.
     */
    private void flushDeferred(DeferredSuccesses d) {
        long successes = d.take();
        if (successes == 0) {
            return;
        }
        breaker.totals.deferredSuccessful.add(successes);
        if (breaker.state.get() != this) {
            return; // the window was left behind with the state
        }
        int minimumCalls = breaker.closedMinimumCalls;
        if (countWindow != null) {
            evaluate(countWindow.recordSuccesses((int) Math.min(successes, countWindow.size()), minimumCalls));
            return;
        }
        float failureRate = timeWindow.failureRate(successes, minimumCalls);
        float slowRate = breaker.slowNanos > 0 ? timeWindow.slowCallRate(successes, minimumCalls) : -1f;
        if (timeWindow.addSuccesses(d.second, successes)) {
            evaluate(failureRate, slowRate);
        }
    }

    /** Reads each rate in the order that can make it too low but never too high (see {@link TimeWindow}). */
    private void evaluateTimeWindow() {
        int minimumCalls = breaker.closedMinimumCalls;
        evaluate(timeWindow.failureRate(0, minimumCalls),
                breaker.slowNanos > 0 ? timeWindow.slowCallRate(0, minimumCalls) : -1f);
    }

    private void evaluate(long aggregate) {
        evaluate(CountWindow.buffered(aggregate), CountWindow.failed(aggregate), CountWindow.slow(aggregate));
    }

    private void evaluate(long buffered, long failed, long slow) {
        if (buffered < breaker.closedMinimumCalls || buffered == 0) {
            return;
        }
        evaluate(failed * 100f / buffered, slow * 100f / buffered);
    }

    /** @param failureRate percent, or -1 (under the minimum) @param slowRate percent, or -1 */
    private void evaluate(float failureRate, float slowRate) {
        if (failureRate >= breaker.failureThreshold || slowRate >= breaker.slowThreshold) {
            breaker.openOnRates(this, failureRate, slowRate);
        }
    }

    @Override
    long[] frozenCounts() {
        flushDeferred(deferred.get());
        if (countWindow != null) {
            return BreakerTotals.countsOf(countWindow.snapshot());
        }
        timeWindow.advance(breaker.clock.nanoTime());
        return timeWindow.counts();
    }

    @Override
    CircuitBreakerMetrics metrics(long notPermittedCalls) {
        return breaker.totals.metrics(State.CLOSED, frozenCounts(), breaker.closedMinimumCalls, notPermittedCalls);
    }
}

package dev.resilience.circuitbreaker.internal;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A breaker's running totals since its creation, for metrics registries (unlike a window, they never forget), and the
 * assembly of a {@link CircuitBreakerMetrics} snapshot from them and a state's window counts.
 *
 * <p>Striped counters ({@link LongAdder}), so that recording costs no contention and no allocation. A deferred
 * success (see {@link DeferredSuccesses}) is added to {@link #deferredSuccessful} when it is flushed, never before.
 */
final class BreakerTotals {

    /** Calls rejected; cleared by a reset. */
    final LongAdder notPermitted = new LongAdder();
    /** Successes recorded one by one. */
    final LongAdder successful = new LongAdder();
    /** Deferred successes, counted once they are accounted for. */
    final LongAdder deferredSuccessful = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder ignored = new LongAdder();
    // Time spent in recorded calls, kept only when the breaker times calls anyway (slow-call detection on), measured
    // with the same time as slow calls (coarse, for a coarse-timed threshold).
    final LongAdder successfulNanos = new LongAdder();
    final LongAdder failedNanos = new LongAdder();
    /** Whether calls are timed (slow-call detection on): otherwise the duration totals read -1. */
    private volatile boolean timed;

    BreakerTotals(boolean timed) {
        this.timed = timed;
    }

    /** @param timed whether calls are timed from now on (a change of configuration) */
    void timed(boolean timed) {
        this.timed = timed;
    }

    /**
     * @param part calls of one kind
     * @param buffered calls in the window
     * @param minimumCalls the minimum under which the rate is unknown
     * @return the percentage, or -1 under the minimum
     */
    static float rate(long part, long buffered, int minimumCalls) {
        if (buffered == 0 || buffered < minimumCalls) {
            return -1f;
        }
        return part * 100f / buffered;
    }

    /** @return the four {@link Outcome} counts of a {@link CountWindow} aggregate */
    static long[] countsOf(long aggregate) {
        return new long[] {CountWindow.count(aggregate, 0), CountWindow.count(aggregate, 1),
                CountWindow.count(aggregate, 2), CountWindow.count(aggregate, 3)};
    }

    /**
     * @param s the state to report
     * @param c the window's counts by {@link Outcome} category
     * @param minimumCalls the minimum under which rates read -1
     * @param notPermittedCalls rejections so far
     * @return the snapshot
     */
    CircuitBreakerMetrics metrics(State s, long[] c, int minimumCalls, long notPermittedCalls) {
        long buffered = c[0] + c[1] + c[2] + c[3];
        long failedCalls = c[Outcome.FAILURE] + c[Outcome.SLOW_FAILURE];
        long slow = c[Outcome.SLOW_SUCCESS] + c[Outcome.SLOW_FAILURE];
        return new CircuitBreakerMetrics(s, rate(failedCalls, buffered, minimumCalls), rate(slow, buffered, minimumCalls),
                buffered, failedCalls, slow, c[Outcome.SLOW_FAILURE], c[Outcome.SUCCESS] + c[Outcome.SLOW_SUCCESS],
                notPermittedCalls, successful.sum() + deferredSuccessful.sum(), failed.sum(), ignored.sum(),
                timed ? successfulNanos.sum() : -1, timed ? failedNanos.sum() : -1);
    }
}

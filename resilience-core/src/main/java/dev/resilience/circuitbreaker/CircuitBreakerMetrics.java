package dev.resilience.circuitbreaker;

/**
 * An immutable snapshot of a circuit breaker. The call counts describe the current sliding window (in
 * HALF_OPEN: the trial calls so far; in OPEN: the window as it was when the breaker opened; in FORCED_OPEN
 * and DISABLED: empty). The four outcome categories are disjoint:
 * {@code bufferedCalls = successfulCalls + failedCalls} and
 * {@code 0 <= slowFailedCalls <= failedCalls <= bufferedCalls}.
 *
 * @param state the state
 * @param failureRate failed calls in percent of buffered calls, or {@code -1} while fewer than the minimum
 *     number of calls are buffered
 * @param slowCallRate slow calls (successful or failed) in percent of buffered calls, or {@code -1} while fewer
 *     than the minimum number of calls are buffered
 * @param bufferedCalls calls recorded in the window (ignored exceptions are not recorded)
 * @param failedCalls failed calls in the window, slow ones included
 * @param slowCalls slow calls in the window, successful or failed
 * @param slowFailedCalls calls in the window that were both slow and failed
 * @param successfulCalls successful calls in the window, slow ones included
 * @param notPermittedCalls calls rejected since creation or the last {@link CircuitBreaker#reset()}: a running
 *     total, not reset by state transitions (Resilience4j starts it again at each state, HALF_OPEN included), so it
 *     can back a monotonic counter
 * @param totalSuccessfulCalls calls recorded as successful since creation (a running total for metrics, unlike
 *     the window counts; a DISABLED breaker records nothing)
 * @param totalFailedCalls calls recorded as failed (a recorded exception or result) since creation
 * @param totalIgnoredCalls calls that ended with an ignored exception (or were cancelled) since creation
 * @param totalSuccessfulCallsNanos time spent in the calls counted by {@code totalSuccessfulCalls}, or {@code -1}
 *     when the breaker does not time calls (slow-call detection off). Timed as slow calls are (see
 *     {@link CircuitBreakerConfig.Builder#slowCallDurationThreshold(java.time.Duration)}): for a threshold timed with
 *     the coarse time (1 s or more on the system clock, the default 60 s included) each call adds its duration in
 *     whole ticks of the coarse time (10 ms), mostly 0 for a call much shorter than a tick, so the total is right on
 *     average over many calls but not for any single one; a shorter threshold gives exact totals
 * @param totalFailedCallsNanos time spent in the calls counted by {@code totalFailedCalls}, or {@code -1} when
 *     the breaker does not time calls
 */
public record CircuitBreakerMetrics(
        CircuitBreaker.State state,
        float failureRate,
        float slowCallRate,
        long bufferedCalls,
        long failedCalls,
        long slowCalls,
        long slowFailedCalls,
        long successfulCalls,
        long notPermittedCalls,
        long totalSuccessfulCalls,
        long totalFailedCalls,
        long totalIgnoredCalls,
        long totalSuccessfulCallsNanos,
        long totalFailedCallsNanos) {

    /** @return slow calls that succeeded */
    public long slowSuccessfulCalls() {
        return slowCalls - slowFailedCalls;
    }
}

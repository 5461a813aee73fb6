package dev.resilience.timeout;

/**
 * Counters of a {@link Timeout} since it was created.
 *
 * @param successfulCalls calls that returned a value in time
 * @param failedCalls calls that failed in time (their own exception)
 * @param timedOutCalls calls that did not finish in time
 */
public record TimeoutMetrics(long successfulCalls, long failedCalls, long timedOutCalls) {
}

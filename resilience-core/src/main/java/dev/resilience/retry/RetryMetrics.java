package dev.resilience.retry;

/**
 * A snapshot of a {@link Retry}'s counters. Every finished call is counted in exactly one of them.
 *
 * @param successfulCallsWithoutRetry calls that succeeded on the first attempt
 * @param successfulCallsWithRetry calls that succeeded after at least one retry
 * @param failedCallsWithoutRetry calls that ended with a retryable failure (or a result still matching
 *     {@code retryOnResult}) after one attempt: {@code maxAttempts} is 1, or retrying was stopped
 * @param failedCallsWithRetry calls that ended with a retryable failure (or a result still matching
 *     {@code retryOnResult}) after more than one attempt: attempts exhausted, stopped or interrupted
 * @param failedCallsWithIgnoredError calls that ended with a failure that is not retried (ignored, not listed
 *     in {@code retryExceptions}, refused by {@code retryOnException}, or a {@link java.lang.Error}), on any
 *     attempt; these are in none of the other counters
 */
public record RetryMetrics(long successfulCallsWithoutRetry, long successfulCallsWithRetry,
                           long failedCallsWithoutRetry, long failedCallsWithRetry,
                           long failedCallsWithIgnoredError) {
}

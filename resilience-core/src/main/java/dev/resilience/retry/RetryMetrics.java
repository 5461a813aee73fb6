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
 * @param retriesRefusedByBudget retries the {@link RetryBudget} refused (each ended its call with its last failure;
 *     that call is also counted in {@code failedCallsWithoutRetry} or {@code failedCallsWithRetry})
 * @param budgetRemaining retries the budget would allow right now, or {@code -1} when the retry has no budget
 */
public record RetryMetrics(long successfulCallsWithoutRetry, long successfulCallsWithRetry,
                           long failedCallsWithoutRetry, long failedCallsWithRetry,
                           long failedCallsWithIgnoredError, long retriesRefusedByBudget, long budgetRemaining) {

    /**
     * Counters of a retry without a budget.
     *
     * @param successfulCallsWithoutRetry calls that succeeded on the first attempt
     * @param successfulCallsWithRetry calls that succeeded after at least one retry
     * @param failedCallsWithoutRetry calls that failed after one attempt
     * @param failedCallsWithRetry calls that failed after more than one attempt
     * @param failedCallsWithIgnoredError calls that ended with a failure that is not retried
     */
    public RetryMetrics(long successfulCallsWithoutRetry, long successfulCallsWithRetry, long failedCallsWithoutRetry,
                        long failedCallsWithRetry, long failedCallsWithIgnoredError) {
        this(successfulCallsWithoutRetry, successfulCallsWithRetry, failedCallsWithoutRetry, failedCallsWithRetry,
                failedCallsWithIgnoredError, 0, -1);
    }
}

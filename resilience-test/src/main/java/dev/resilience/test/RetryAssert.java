package dev.resilience.test;

import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryMetrics;
import org.assertj.core.api.AbstractAssert;

import java.util.function.ToLongFunction;

/** Assertions on a {@link Retry}'s counters (since creation or the last {@link Retry#reset()}). */
public final class RetryAssert extends AbstractAssert<RetryAssert, Retry> {

    RetryAssert(Retry actual) {
        super(actual, RetryAssert.class);
    }

    /**
     * @param calls the calls expected to have succeeded at the first attempt
     * @return this
     */
    public RetryAssert hasSuccessfulCallsWithoutRetry(long calls) {
        return hasCount("successful calls without retry", RetryMetrics::successfulCallsWithoutRetry, calls);
    }

    /**
     * @param calls the calls expected to have succeeded after at least one retry
     * @return this
     */
    public RetryAssert hasSuccessfulCallsWithRetry(long calls) {
        return hasCount("successful calls with retry", RetryMetrics::successfulCallsWithRetry, calls);
    }

    /**
     * @param calls the calls expected to have failed without being retried
     * @return this
     */
    public RetryAssert hasFailedCallsWithoutRetry(long calls) {
        return hasCount("failed calls without retry", RetryMetrics::failedCallsWithoutRetry, calls);
    }

    /**
     * @param calls the calls expected to have failed after their retries
     * @return this
     */
    public RetryAssert hasFailedCallsWithRetry(long calls) {
        return hasCount("failed calls with retry", RetryMetrics::failedCallsWithRetry, calls);
    }

    /**
     * @param retries the retries the budget is expected to have refused
     * @return this
     */
    public RetryAssert hasRetriesRefusedByBudget(long retries) {
        return hasCount("retries refused by the budget", RetryMetrics::retriesRefusedByBudget, retries);
    }

    private RetryAssert hasCount(String what, ToLongFunction<RetryMetrics> count, long expected) {
        isNotNull();
        RetryMetrics metrics = actual.metrics();
        long actualCount = count.applyAsLong(metrics);
        if (actualCount != expected) {
            failWithMessage("Expected retry '%s' to have %s %s but it had %s (%s)", actual.name(), expected, what,
                    actualCount, metrics);
        }
        return this;
    }
}

package dev.resilience.test;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.retry.Retry;

/**
 * Entry point of the AssertJ assertions for policy instances and recorded events:
 * <pre>{@code
 * import static dev.resilience.test.ResilienceAssertions.assertThat;
 *
 * assertThat(breaker).isOpen().hasFailureRate(50);
 * assertThat(retry).hasSuccessfulCallsWithRetry(1);
 * assertThat(events).containsTransition(CLOSED, OPEN);
 * }</pre>
 * These overloads sit beside AssertJ's own {@code Assertions.assertThat}; both may be imported statically.
 */
public final class ResilienceAssertions {

    private ResilienceAssertions() {
    }

    /**
     * @param actual a circuit breaker
     * @return assertions on it
     */
    public static CircuitBreakerAssert assertThat(CircuitBreaker actual) {
        return new CircuitBreakerAssert(actual);
    }

    /**
     * @param actual a retry
     * @return assertions on it
     */
    public static RetryAssert assertThat(Retry actual) {
        return new RetryAssert(actual);
    }

    /**
     * @param actual a rate limiter
     * @return assertions on it
     */
    public static RateLimiterAssert assertThat(RateLimiter actual) {
        return new RateLimiterAssert(actual);
    }

    /**
     * @param actual a semaphore bulkhead
     * @return assertions on it
     */
    public static BulkheadAssert assertThat(Bulkhead actual) {
        return new BulkheadAssert(actual);
    }

    /**
     * @param actual recorded events
     * @return assertions on them
     */
    public static RecordedEventsAssert assertThat(RecordedEvents actual) {
        return new RecordedEventsAssert(actual);
    }
}

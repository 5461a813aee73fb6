package dev.resilience.spring;

import dev.resilience.Policy;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadConfig;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.Registry;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;

import java.util.List;

/**
 * The registries of every policy kind, built from {@code resilience.*} properties. Instances named in
 * properties are created at start-up; others are created on first use with the {@code default} config.
 *
 * @param circuitBreakers circuit breakers by name
 * @param retries retries by name
 * @param bulkheads semaphore bulkheads by name
 * @param threadPoolBulkheads thread-pool bulkheads by name
 * @param rateLimiters rate limiters by name
 * @param timeouts timeouts by name
 */
public record ResilienceRegistries(
        Registry<CircuitBreaker, CircuitBreakerConfig> circuitBreakers,
        Registry<Retry, RetryConfig> retries,
        Registry<Bulkhead, BulkheadConfig> bulkheads,
        Registry<ThreadPoolBulkhead, ThreadPoolBulkheadConfig> threadPoolBulkheads,
        Registry<RateLimiter, RateLimiterConfig> rateLimiters,
        Registry<Timeout, TimeoutConfig> timeouts) {

    /** @return all six registries */
    public List<Registry<? extends Policy, ?>> all() {
        return List.of(circuitBreakers, retries, bulkheads, threadPoolBulkheads, rateLimiters, timeouts);
    }
}

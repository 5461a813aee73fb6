package dev.resilience.benchmarks.spring;

import io.github.resilience4j.bulkhead.annotation.Bulkhead;
import io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker;
import io.github.resilience4j.ratelimiter.annotation.RateLimiter;
import io.github.resilience4j.retry.annotation.Retry;

/**
 * The same bean as {@link OurAnnotatedService}, annotated for Resilience4j's Spring aspects.
 */
public class Resilience4jAnnotatedService {

    private static final Integer RESULT = 42;

    /** @return 42, through the breaker "cb" */
    @CircuitBreaker(name = "cb")
    public Integer breaker() {
        return RESULT;
    }

    /** @return 42, through retry, breaker, rate limiter and bulkhead */
    @Retry(name = "retry")
    @CircuitBreaker(name = "cb")
    @RateLimiter(name = "rl")
    @Bulkhead(name = "bh")
    public Integer stacked() {
        return RESULT;
    }
}

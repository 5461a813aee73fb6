package dev.resilience.benchmarks.spring;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.RateLimited;
import dev.resilience.annotation.Retry;

/**
 * A bean whose methods carry our annotations; its bodies only return a cached value, so the proxy is what is measured.
 */
public class OurAnnotatedService {

    private static final Integer RESULT = 42;

    /** @return 42, through the breaker "cb" */
    @CircuitBreaker(name = "cb")
    public Integer breaker() {
        return RESULT;
    }

    /** @return 42, through retry, breaker, rate limiter and bulkhead */
    @Retry(name = "retry")
    @CircuitBreaker(name = "cb")
    @RateLimited(name = "rl")
    @Bulkhead(name = "bh")
    public Integer stacked() {
        return RESULT;
    }
}

package dev.resilience.test;

import dev.resilience.Policy;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadConfig;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.Clock;
import dev.resilience.core.Registry;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryBudgets;
import dev.resilience.retry.RetryConfig;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;

import java.util.List;
import java.util.Objects;

/**
 * One core {@link Registry} per policy kind, for tests without Spring (the starter's {@code ResilienceRegistries} is
 * the same set in a Spring context). {@link #on(Clock)} builds them empty, with each kind's {@code defaults()} as the
 * default config, so that every instance they create reads the given clock; a test gives an instance its own config
 * with {@code get(name, config)}.
 *
 * @param circuitBreakers the circuit breakers
 * @param retries the retries (retry budgets of a group are shared among them, as in the starter)
 * @param bulkheads the semaphore bulkheads
 * @param threadPoolBulkheads the thread-pool bulkheads
 * @param rateLimiters the rate limiters
 * @param timeouts the timeouts
 */
public record TestRegistries(
        Registry<CircuitBreaker, CircuitBreakerConfig> circuitBreakers,
        Registry<Retry, RetryConfig> retries,
        Registry<Bulkhead, BulkheadConfig> bulkheads,
        Registry<ThreadPoolBulkhead, ThreadPoolBulkheadConfig> threadPoolBulkheads,
        Registry<RateLimiter, RateLimiterConfig> rateLimiters,
        Registry<Timeout, TimeoutConfig> timeouts) {

    /** Checks that every registry is given. */
    public TestRegistries {
        Objects.requireNonNull(circuitBreakers, "circuitBreakers");
        Objects.requireNonNull(retries, "retries");
        Objects.requireNonNull(bulkheads, "bulkheads");
        Objects.requireNonNull(threadPoolBulkheads, "threadPoolBulkheads");
        Objects.requireNonNull(rateLimiters, "rateLimiters");
        Objects.requireNonNull(timeouts, "timeouts");
    }

    /**
     * @param clock the clock of every instance the registries create (a {@code ManualClock} in tests)
     * @return new, empty registries
     */
    public static TestRegistries on(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        RetryBudgets budgets = new RetryBudgets(clock);
        return new TestRegistries(
                Registry.builder(CircuitBreaker.KIND,
                        (String name, CircuitBreakerConfig config) -> CircuitBreaker.of(name, config, clock),
                        CircuitBreakerConfig.defaults()).build(),
                Registry.builder(Retry.KIND,
                        (String name, RetryConfig config) -> Retry.of(name, config, clock, budgets),
                        RetryConfig.defaults()).build(),
                Registry.builder(Bulkhead.KIND,
                        (String name, BulkheadConfig config) -> Bulkhead.of(name, config, clock),
                        BulkheadConfig.defaults()).build(),
                Registry.builder(ThreadPoolBulkhead.KIND,
                        (String name, ThreadPoolBulkheadConfig config) -> ThreadPoolBulkhead.of(name, config, clock),
                        ThreadPoolBulkheadConfig.defaults()).build(),
                Registry.builder("ratelimiter",
                        (String name, RateLimiterConfig config) -> RateLimiter.of(name, config, clock),
                        RateLimiterConfig.defaults()).build(),
                Registry.builder(Timeout.KIND,
                        (String name, TimeoutConfig config) -> Timeout.of(name, config, clock),
                        TimeoutConfig.defaults()).build());
    }

    /** @return every registry, for {@link ResilienceReset} and {@link RecordedEvents#ofRegistries} */
    public List<Registry<? extends Policy, ?>> all() {
        return List.of(circuitBreakers, retries, bulkheads, threadPoolBulkheads, rateLimiters, timeouts);
    }
}

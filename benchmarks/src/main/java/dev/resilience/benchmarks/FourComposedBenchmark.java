package dev.resilience.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.resilience.Resilience;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Retry, circuit breaker, rate limiter and bulkhead around every call, outermost first, each configured as in its own
 * benchmark (our breaker without slow-call detection). Composed once; each call runs through all four.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class FourComposedBenchmark {

    private Resilience.Composition ours;
    private Supplier<Integer> resilience4j;
    private FailsafeExecutor<Integer> failsafe;

    /** Builds and composes the four policies of each library. */
    @Setup
    public void setUp() {
        ours = Resilience.compose(
                Retry.of("retry", RetryConfig.builder().maxAttempts(Configs.RETRY_ATTEMPTS).waitDuration(Configs.RETRY_WAIT).build()),
                CircuitBreaker.of("cb", CircuitBreakerConfig.builder()
                        .slidingWindowSize(Configs.COUNT_WINDOW)
                        .minimumNumberOfCalls(Configs.COUNT_WINDOW)
                        .slowCallDurationThreshold(Duration.ZERO)
                        .build()),
                RateLimiter.of("rl", RateLimiterConfig.builder()
                        .limitForPeriod(Configs.HUGE_RATE)
                        .limitRefreshPeriod(Configs.RATE_PERIOD)
                        .timeoutDuration(Duration.ZERO)
                        .build()),
                Bulkhead.of("bh", BulkheadConfig.builder()
                        .maxConcurrentCalls(Configs.BULKHEAD_PERMITS)
                        .maxWaitDuration(Duration.ZERO)
                        .build()));

        Supplier<Integer> bulkheaded = io.github.resilience4j.bulkhead.Bulkhead.decorateSupplier(
                io.github.resilience4j.bulkhead.Bulkhead.of("bh", io.github.resilience4j.bulkhead.BulkheadConfig.custom()
                        .maxConcurrentCalls(Configs.BULKHEAD_PERMITS)
                        .maxWaitDuration(Duration.ZERO)
                        .build()),
                Work.SUPPLIER);
        Supplier<Integer> limited = io.github.resilience4j.ratelimiter.RateLimiter.decorateSupplier(
                io.github.resilience4j.ratelimiter.RateLimiter.of("rl", io.github.resilience4j.ratelimiter.RateLimiterConfig.custom()
                        .limitForPeriod(Configs.HUGE_RATE)
                        .limitRefreshPeriod(Configs.RATE_PERIOD)
                        .timeoutDuration(Duration.ZERO)
                        .build()),
                bulkheaded);
        Supplier<Integer> broken = io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(
                io.github.resilience4j.circuitbreaker.CircuitBreaker.of("cb",
                        io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                                .slidingWindowSize(Configs.COUNT_WINDOW)
                                .minimumNumberOfCalls(Configs.COUNT_WINDOW)
                                .build()),
                limited);
        resilience4j = io.github.resilience4j.retry.Retry.decorateSupplier(
                io.github.resilience4j.retry.Retry.of("retry", io.github.resilience4j.retry.RetryConfig.custom()
                        .maxAttempts(Configs.RETRY_ATTEMPTS)
                        .waitDuration(Configs.RETRY_WAIT)
                        .build()),
                broken);

        failsafe = Failsafe.with(
                RetryPolicy.<Integer>builder().withMaxAttempts(Configs.RETRY_ATTEMPTS).withDelay(Configs.RETRY_WAIT).build(),
                dev.failsafe.CircuitBreaker.<Integer>builder()
                        .withFailureThreshold(Configs.COUNT_WINDOW / 2, Configs.COUNT_WINDOW)
                        .build(),
                dev.failsafe.RateLimiter.<Integer>burstyBuilder(Configs.HUGE_RATE, Configs.RATE_PERIOD)
                        .withMaxWaitTime(Duration.ZERO)
                        .build(),
                dev.failsafe.Bulkhead.<Integer>builder(Configs.BULKHEAD_PERMITS).withMaxWaitTime(Duration.ZERO).build());
    }

    /** @return the work's result through our four policies */
    @Benchmark
    public Integer ours() {
        return ours.call(Work.OURS);
    }

    /** @return the work's result through Resilience4j's four policies */
    @Benchmark
    public Integer resilience4j() {
        return resilience4j.get();
    }

    /** @return the work's result through Failsafe's four policies */
    @Benchmark
    public Integer failsafe() {
        return failsafe.get(Work.FAILSAFE);
    }
}

package dev.resilience.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.resilience.Resilience;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.retry.Retry;
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
 * Retry, circuit breaker, rate limiter and bulkhead around every call, outermost first, each as the library builds it
 * by default ({@code ofDefaults}): what users get without tuning. The one exception is the rate limiter's limit: both
 * libraries default to 50 permits a second, which a benchmark would exhaust in microseconds, so its
 * {@code limitForPeriod} is raised to {@link Configs#HUGE_RATE}; its period and timeout stay at the defaults (1 s, 5 s).
 * Our breaker therefore times each call for slow-call detection (60 s threshold), as Resilience4j's does. Failsafe has
 * no defaults for these policies (a breaker and a bulkhead need their thresholds), so it gets the nearest equivalents.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class FourComposedDefaultConfigBenchmark {

    private Resilience.Composition ours;
    private Supplier<Integer> resilience4j;
    private FailsafeExecutor<Integer> failsafe;

    /** Builds and composes the four default policies of each library. */
    @Setup
    public void setUp() {
        ours = Resilience.compose(
                Retry.ofDefaults("retry"),
                CircuitBreaker.ofDefaults("cb"),
                RateLimiter.of("rl", RateLimiterConfig.builder().limitForPeriod(Configs.HUGE_RATE).build()),
                Bulkhead.ofDefaults("bh"));

        Supplier<Integer> bulkheaded = io.github.resilience4j.bulkhead.Bulkhead.decorateSupplier(
                io.github.resilience4j.bulkhead.Bulkhead.ofDefaults("bh"), Work.SUPPLIER);
        Supplier<Integer> limited = io.github.resilience4j.ratelimiter.RateLimiter.decorateSupplier(
                io.github.resilience4j.ratelimiter.RateLimiter.of("rl", io.github.resilience4j.ratelimiter.RateLimiterConfig.custom()
                        .limitForPeriod(Configs.HUGE_RATE)
                        .build()),
                bulkheaded);
        Supplier<Integer> broken = io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(
                io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("cb"), limited);
        resilience4j = io.github.resilience4j.retry.Retry.decorateSupplier(
                io.github.resilience4j.retry.Retry.ofDefaults("retry"), broken);

        failsafe = Failsafe.with(
                RetryPolicy.<Integer>builder().withMaxAttempts(Configs.RETRY_ATTEMPTS).withDelay(Configs.RETRY_WAIT).build(),
                dev.failsafe.CircuitBreaker.<Integer>builder()
                        .withFailureThreshold(Configs.COUNT_WINDOW / 2, Configs.COUNT_WINDOW)
                        .build(),
                dev.failsafe.RateLimiter.<Integer>burstyBuilder(Configs.HUGE_RATE, Configs.RATE_PERIOD)
                        .withMaxWaitTime(Duration.ofSeconds(5))
                        .build(),
                dev.failsafe.Bulkhead.<Integer>builder(Configs.BULKHEAD_PERMITS).withMaxWaitTime(Duration.ZERO).build());
    }

    /** @return the work's result through our four default policies */
    @Benchmark
    public Integer ours() {
        return ours.call(Work.OURS);
    }

    /** @return the work's result through Resilience4j's four default policies */
    @Benchmark
    public Integer resilience4j() {
        return resilience4j.get();
    }

    /** @return the work's result through Failsafe's four nearest-to-default policies */
    @Benchmark
    public Integer failsafe() {
        return failsafe.get(Work.FAILSAFE);
    }
}

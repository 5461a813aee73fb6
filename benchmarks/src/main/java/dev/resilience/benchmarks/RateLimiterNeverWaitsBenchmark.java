package dev.resilience.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
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
 * A rate limiter whose limit (10^9 per second) is never reached, so no caller ever waits: the cost of taking a permit.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class RateLimiterNeverWaitsBenchmark {

    private RateLimiter ours;
    private Supplier<Integer> resilience4j;
    private FailsafeExecutor<Integer> failsafe;

    /** Builds the three limiters with the same huge limit per second and no wait. */
    @Setup
    public void setUp() {
        ours = RateLimiter.of("rl", RateLimiterConfig.builder()
                .limitForPeriod(Configs.HUGE_RATE)
                .limitRefreshPeriod(Configs.RATE_PERIOD)
                .timeoutDuration(Duration.ZERO)
                .build());
        resilience4j = io.github.resilience4j.ratelimiter.RateLimiter.decorateSupplier(
                io.github.resilience4j.ratelimiter.RateLimiter.of("rl", io.github.resilience4j.ratelimiter.RateLimiterConfig.custom()
                        .limitForPeriod(Configs.HUGE_RATE)
                        .limitRefreshPeriod(Configs.RATE_PERIOD)
                        .timeoutDuration(Duration.ZERO)
                        .build()),
                Work.SUPPLIER);
        failsafe = Failsafe.with(dev.failsafe.RateLimiter.<Integer>burstyBuilder(Configs.HUGE_RATE, Configs.RATE_PERIOD)
                .withMaxWaitTime(Duration.ZERO)
                .build());
    }

    /** @return the work's result through our rate limiter */
    @Benchmark
    public Integer ours() {
        return ours.call(Work.OURS);
    }

    /** @return the work's result through Resilience4j's rate limiter */
    @Benchmark
    public Integer resilience4j() {
        return resilience4j.get();
    }

    /** @return the work's result through Failsafe's rate limiter */
    @Benchmark
    public Integer failsafe() {
        return failsafe.get(Work.FAILSAFE);
    }
}

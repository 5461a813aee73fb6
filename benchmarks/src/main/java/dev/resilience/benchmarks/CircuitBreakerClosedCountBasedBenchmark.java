package dev.resilience.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
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
 * A CLOSED breaker with a count-based window of 100 calls, every call succeeding. Ours runs with slow-call detection
 * off (it then reads no clock); Resilience4j always times each call; Failsafe has no slow-call detection.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class CircuitBreakerClosedCountBasedBenchmark {

    private CircuitBreaker ours;
    private Supplier<Integer> resilience4j;
    private FailsafeExecutor<Integer> failsafe;

    /** Builds the three breakers with equal windows and thresholds. */
    @Setup
    public void setUp() {
        ours = CircuitBreaker.of("cb", CircuitBreakerConfig.builder()
                .slidingWindowType(SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(Configs.COUNT_WINDOW)
                .minimumNumberOfCalls(Configs.COUNT_WINDOW)
                .failureRateThreshold(50)
                .slowCallDurationThreshold(Duration.ZERO)
                .build());
        resilience4j = io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(
                io.github.resilience4j.circuitbreaker.CircuitBreaker.of("cb",
                        io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                                .slidingWindowType(io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                                .slidingWindowSize(Configs.COUNT_WINDOW)
                                .minimumNumberOfCalls(Configs.COUNT_WINDOW)
                                .failureRateThreshold(50)
                                .build()),
                Work.SUPPLIER);
        failsafe = Failsafe.with(dev.failsafe.CircuitBreaker.<Integer>builder()
                .withFailureThreshold(Configs.COUNT_WINDOW / 2, Configs.COUNT_WINDOW)
                .build());
    }

    /** @return the work's result through our breaker */
    @Benchmark
    public Integer ours() {
        return ours.call(Work.OURS);
    }

    /** @return the work's result through Resilience4j's breaker */
    @Benchmark
    public Integer resilience4j() {
        return resilience4j.get();
    }

    /** @return the work's result through Failsafe's breaker */
    @Benchmark
    public Integer failsafe() {
        return failsafe.get(Work.FAILSAFE);
    }
}

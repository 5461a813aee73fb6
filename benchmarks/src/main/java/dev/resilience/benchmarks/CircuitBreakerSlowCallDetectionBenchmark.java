package dev.resilience.benchmarks;

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

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A CLOSED count-based breaker (100 calls) that times every call to detect slow calls (threshold 60 s, never reached).
 * Failsafe has no slow-call detection, so only ours and Resilience4j are compared. Ours now times a threshold
 * of 1 s or more with the coarse time (see {@code CircuitBreakerSlowCallDefaultConfigBenchmark}); earlier code
 * (the reported runs up to run 14) measured two {@code System.nanoTime()} calls per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class CircuitBreakerSlowCallDetectionBenchmark {

    private CircuitBreaker ours;
    private Supplier<Integer> resilience4j;

    /** Builds both breakers with slow-call detection at 60 s. */
    @Setup
    public void setUp() {
        ours = CircuitBreaker.of("cb", CircuitBreakerConfig.builder()
                .slidingWindowType(SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(Configs.COUNT_WINDOW)
                .minimumNumberOfCalls(Configs.COUNT_WINDOW)
                .slowCallDurationThreshold(Configs.SLOW_CALL)
                .build());
        resilience4j = io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(
                io.github.resilience4j.circuitbreaker.CircuitBreaker.of("cb",
                        io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                                .slidingWindowSize(Configs.COUNT_WINDOW)
                                .minimumNumberOfCalls(Configs.COUNT_WINDOW)
                                .slowCallDurationThreshold(Configs.SLOW_CALL)
                                .build()),
                Work.SUPPLIER);
    }

    /** @return the work's result through our timing breaker */
    @Benchmark
    public Integer ours() {
        return ours.call(Work.OURS);
    }

    /** @return the work's result through Resilience4j's breaker */
    @Benchmark
    public Integer resilience4j() {
        return resilience4j.get();
    }
}

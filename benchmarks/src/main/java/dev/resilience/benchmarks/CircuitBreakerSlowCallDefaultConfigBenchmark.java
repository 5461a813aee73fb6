package dev.resilience.benchmarks;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
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
 * A CLOSED breaker exactly as each library builds it by default ({@code ofDefaults}: COUNT_BASED 100, minimum 100
 * calls, slow-call detection at 60 s), every call a success: what users get without tuning. Ours times calls against a
 * threshold of 1 s or more with the coarse time (two volatile reads); {@code oursExactTiming} keeps everything else at
 * the defaults but sets a 500 ms threshold, which ours times with two {@code System.nanoTime()} calls, to show what
 * the coarse time saves.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class CircuitBreakerSlowCallDefaultConfigBenchmark {

    private CircuitBreaker ours;
    private CircuitBreaker oursExact;
    private Supplier<Integer> resilience4j;

    /** Builds the default breakers, and ours with a threshold it times exactly. */
    @Setup
    public void setUp() {
        ours = CircuitBreaker.ofDefaults("cb");
        oursExact = CircuitBreaker.of("exact", CircuitBreakerConfig.builder()
                .slowCallDurationThreshold(Duration.ofMillis(500)).build());
        resilience4j = io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(
                io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("cb"), Work.SUPPLIER);
    }

    /** @return the work's result through our default breaker */
    @Benchmark
    public Integer ours() {
        return ours.call(Work.OURS);
    }

    /** @return the work's result through our breaker with a threshold under 1 s (exact timing) */
    @Benchmark
    public Integer oursExactTiming() {
        return oursExact.call(Work.OURS);
    }

    /** @return the work's result through Resilience4j's default breaker */
    @Benchmark
    public Integer resilience4j() {
        return resilience4j.get();
    }
}

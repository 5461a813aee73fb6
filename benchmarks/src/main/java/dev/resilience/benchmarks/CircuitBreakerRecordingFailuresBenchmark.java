package dev.resilience.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.ThrowingSupplier;
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
 * A CLOSED count-based breaker (100 calls) recording a failure on every tenth call, its threshold (90 %) high enough
 * that it never opens: the cost of counting failures, the thrown exception caught. The exception has no stack trace.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class CircuitBreakerRecordingFailuresBenchmark {

    private CircuitBreaker ours;
    private io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j;
    private FailsafeExecutor<Integer> failsafe;

    /** Builds the three breakers with a failure threshold of 90 % over 100 calls. */
    @Setup
    public void setUp() {
        ours = CircuitBreaker.of("cb", CircuitBreakerConfig.builder()
                .slidingWindowSize(Configs.COUNT_WINDOW)
                .minimumNumberOfCalls(Configs.COUNT_WINDOW)
                .failureRateThreshold(90)
                .slowCallDurationThreshold(Duration.ZERO)
                .build());
        resilience4j = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("cb",
                io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                        .slidingWindowSize(Configs.COUNT_WINDOW)
                        .minimumNumberOfCalls(Configs.COUNT_WINDOW)
                        .failureRateThreshold(90)
                        .build());
        failsafe = Failsafe.with(dev.failsafe.CircuitBreaker.<Integer>builder()
                .withFailureThreshold(Configs.COUNT_WINDOW * 9 / 10, Configs.COUNT_WINDOW)
                .build());
    }

    /**
     * Each thread's own work, failing every tenth call; per thread so the counter adds no shared contention.
     */
    @State(Scope.Thread)
    public static class FailingWork {

        private int calls;
        private ThrowingSupplier<Integer, RuntimeException> ours;
        private Supplier<Integer> resilience4j;
        private dev.failsafe.function.CheckedSupplier<Integer> failsafe;

        /** Builds the thread's suppliers, Resilience4j's decorated with the shared breaker. */
        @Setup
        public void setUp(CircuitBreakerRecordingFailuresBenchmark benchmark) {
            ours = this::next;
            resilience4j = io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(benchmark.resilience4j, this::next);
            failsafe = this::next;
        }

        private Integer next() {
            if (++calls % 10 == 0) {
                throw Work.FAILURE;
            }
            return Work.RESULT;
        }
    }

    /** @return the result, or the failure our breaker recorded */
    @Benchmark
    public Object ours(FailingWork work) {
        try {
            return ours.call(work.ours);
        } catch (RuntimeException failure) {
            return failure;
        }
    }

    /** @return the result, or the failure Resilience4j's breaker recorded */
    @Benchmark
    public Object resilience4j(FailingWork work) {
        try {
            return work.resilience4j.get();
        } catch (RuntimeException failure) {
            return failure;
        }
    }

    /** @return the result, or the failure Failsafe's breaker recorded */
    @Benchmark
    public Object failsafe(FailingWork work) {
        try {
            return failsafe.get(work.failsafe);
        } catch (RuntimeException failure) {
            return failure;
        }
    }
}

package dev.resilience.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
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
 * An OPEN breaker rejecting a call, the rejection caught: the cost a caller pays while a dependency is down. Each
 * library runs with its default exception settings (Resilience4j's default fills stack traces).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class CircuitBreakerOpenRejectionBenchmark {

    private CircuitBreaker ours;
    private Supplier<Integer> resilience4j;
    private FailsafeExecutor<Integer> failsafe;

    /** Builds the three breakers and forces each OPEN for longer than the trial. */
    @Setup
    public void setUp() {
        ours = CircuitBreaker.of("cb", CircuitBreakerConfig.builder().waitDurationInOpenState(Configs.OPEN_WAIT).build());
        ours.transitionToOpenState();
        io.github.resilience4j.circuitbreaker.CircuitBreaker r4j = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("cb",
                io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom().waitDurationInOpenState(Configs.OPEN_WAIT).build());
        r4j.transitionToOpenState();
        resilience4j = io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(r4j, Work.SUPPLIER);
        dev.failsafe.CircuitBreaker<Integer> fs = dev.failsafe.CircuitBreaker.<Integer>builder().withDelay(Configs.OPEN_WAIT).build();
        fs.open();
        failsafe = Failsafe.with(fs);
    }

    /** @return the rejection our breaker throws */
    @Benchmark
    public Object ours() {
        try {
            return ours.call(Work.OURS);
        } catch (RuntimeException rejected) {
            return rejected;
        }
    }

    /** @return the rejection Resilience4j's breaker throws */
    @Benchmark
    public Object resilience4j() {
        try {
            return resilience4j.get();
        } catch (RuntimeException rejected) {
            return rejected;
        }
    }

    /** @return the rejection Failsafe's breaker throws */
    @Benchmark
    public Object failsafe() {
        try {
            return failsafe.get(Work.FAILSAFE);
        } catch (RuntimeException rejected) {
            return rejected;
        }
    }
}

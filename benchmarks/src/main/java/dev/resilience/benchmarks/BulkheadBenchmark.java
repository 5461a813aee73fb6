package dev.resilience.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
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
 * A semaphore bulkhead of 25 permits that never waits, always with a permit free: the cost of acquire plus release.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class BulkheadBenchmark {

    private Bulkhead ours;
    private Supplier<Integer> resilience4j;
    private FailsafeExecutor<Integer> failsafe;

    /** Builds the three bulkheads with 25 permits and no wait. */
    @Setup
    public void setUp() {
        ours = Bulkhead.of("bh", BulkheadConfig.builder()
                .maxConcurrentCalls(Configs.BULKHEAD_PERMITS)
                .maxWaitDuration(Duration.ZERO)
                .build());
        resilience4j = io.github.resilience4j.bulkhead.Bulkhead.decorateSupplier(
                io.github.resilience4j.bulkhead.Bulkhead.of("bh", io.github.resilience4j.bulkhead.BulkheadConfig.custom()
                        .maxConcurrentCalls(Configs.BULKHEAD_PERMITS)
                        .maxWaitDuration(Duration.ZERO)
                        .build()),
                Work.SUPPLIER);
        failsafe = Failsafe.with(dev.failsafe.Bulkhead.<Integer>builder(Configs.BULKHEAD_PERMITS)
                .withMaxWaitTime(Duration.ZERO)
                .build());
    }

    /** @return the work's result through our bulkhead */
    @Benchmark
    public Integer ours() {
        return ours.call(Work.OURS);
    }

    /** @return the work's result through Resilience4j's bulkhead */
    @Benchmark
    public Integer resilience4j() {
        return resilience4j.get();
    }

    /** @return the work's result through Failsafe's bulkhead */
    @Benchmark
    public Integer failsafe() {
        return failsafe.get(Work.FAILSAFE);
    }
}

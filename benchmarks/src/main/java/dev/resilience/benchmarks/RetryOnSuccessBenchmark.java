package dev.resilience.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
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
 * A retry (3 attempts, 500 ms wait) around a call that succeeds the first time: the cost of being ready to retry.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class RetryOnSuccessBenchmark {

    private Retry ours;
    private Supplier<Integer> resilience4j;
    private FailsafeExecutor<Integer> failsafe;

    /** Builds the three retries with 3 attempts and a 500 ms wait. */
    @Setup
    public void setUp() {
        ours = Retry.of("retry", RetryConfig.builder()
                .maxAttempts(Configs.RETRY_ATTEMPTS)
                .waitDuration(Configs.RETRY_WAIT)
                .build());
        resilience4j = io.github.resilience4j.retry.Retry.decorateSupplier(
                io.github.resilience4j.retry.Retry.of("retry", io.github.resilience4j.retry.RetryConfig.custom()
                        .maxAttempts(Configs.RETRY_ATTEMPTS)
                        .waitDuration(Configs.RETRY_WAIT)
                        .build()),
                Work.SUPPLIER);
        failsafe = Failsafe.with(RetryPolicy.<Integer>builder()
                .withMaxAttempts(Configs.RETRY_ATTEMPTS)
                .withDelay(Configs.RETRY_WAIT)
                .build());
    }

    /** @return the work's result through our retry */
    @Benchmark
    public Integer ours() {
        return ours.call(Work.OURS);
    }

    /** @return the work's result through Resilience4j's retry */
    @Benchmark
    public Integer resilience4j() {
        return resilience4j.get();
    }

    /** @return the work's result through Failsafe's retry */
    @Benchmark
    public Integer failsafe() {
        return failsafe.get(Work.FAILSAFE);
    }
}

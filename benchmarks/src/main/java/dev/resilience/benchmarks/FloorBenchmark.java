package dev.resilience.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The floor: what a call costs with no policy at all, and the cheapest possible shared bookkeeping (a volatile read
 * plus a {@link LongAdder} increment), which is the least any policy that counts calls must pay, and one clock read,
 * which is the least any policy that looks at time per call (a time window, slow-call detection, a rate limiter) must pay.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class FloorBenchmark {

    private final Supplier<Integer> work = Work.SUPPLIER;
    private final LongAdder calls = new LongAdder();
    private volatile boolean open;

    /** @return the work's result, called directly */
    @Benchmark
    public Integer directCall() {
        return work.get();
    }

    /** @return the work's result after a volatile read and a LongAdder increment */
    @Benchmark
    public Integer volatileReadAndLongAdder() {
        if (open) {
            throw new IllegalStateException("never open");
        }
        calls.increment();
        return work.get();
    }

    /** @return the work's result after one {@link System#nanoTime()} read */
    @Benchmark
    public long nanoTime() {
        return System.nanoTime() + work.get();
    }
}

package dev.resilience.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.util.concurrent.TimeUnit;

/**
 * The same two operations as {@link RedisRateLimiterLatencyBenchmark}, with 64 concurrent callers sharing one limiter
 * and one connection (Lettuce pipelines their commands): throughput, operations per second over all callers. Needs
 * {@code redis-server} on the PATH: each trial starts its own on a free loopback port.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Threads(64)
public class RedisRateLimiterThroughputBenchmark {

    private RedisFleet fleet;

    /** Starts Redis and the application, connected. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        fleet = new RedisFleet();
    }

    /** Stops both, and fails the trial if an acquisition was refused or the store failed. */
    @TearDown(Level.Trial)
    public void tearDown() {
        fleet.close();
    }

    /** @return whether the permit was granted (always, or the trial fails): one EVALSHA of the limiter's script */
    @Benchmark
    public boolean acquire() {
        return fleet.limiter.acquirePermission();
    }

    /** @return PONG: one bare round trip on the same connection */
    @Benchmark
    public String ping() throws Exception {
        return fleet.ping();
    }
}

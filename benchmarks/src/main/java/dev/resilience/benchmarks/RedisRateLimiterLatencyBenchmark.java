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
 * What a rate limiter with {@code store: redis} costs per acquisition, against the floor of any Redis command: a bare
 * {@code PING} round trip on the same Lettuce connection. One caller ({@code @Threads(1)}); the target is an
 * acquisition within 1.5x the PING. Sampled time, so that the run reports the median and percentiles beside the mean:
 * on a machine that runs Redis, the Lettuce thread and the caller on two cores, a few calls that wait for a core move
 * the mean from one run to the next far more than the median. Needs {@code redis-server} on the PATH: each trial starts its own on a
 * free loopback port (see {@link RedisFleet}).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Threads(1)
public class RedisRateLimiterLatencyBenchmark {

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

    /**
     * @return whether the store granted a permit: the same script as {@link #acquire()} on the same connection, awaited
     *     without the limiter around it (no command-timeout timer, no bookkeeping), to tell Redis's and Lettuce's part
     *     of an acquisition from ours
     */
    @Benchmark
    public boolean storeAcquire() throws Exception {
        return fleet.store.acquire("fleet-store", 1_000_000_000, 1_000_000_000L, 0L)
                .toCompletableFuture().get(1, TimeUnit.SECONDS).isGranted();
    }

    /**
     * @return 1: a script that does nothing ({@code return 1}), sent like the limiter's (EVALSHA, one key, three
     *     arguments, an integer answer) on the same connection: what running any script costs over a {@code PING},
     *     without the limiter's work inside Redis
     */
    @Benchmark
    public Long emptyScript() throws Exception {
        return fleet.emptyScript();
    }

    /** @return PONG: one bare round trip on the same connection */
    @Benchmark
    public String ping() throws Exception {
        return fleet.ping();
    }
}

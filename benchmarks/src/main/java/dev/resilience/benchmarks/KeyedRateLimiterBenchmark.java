package dev.resilience.benchmarks;

import dev.resilience.keyed.KeyedPolicy;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What a key adds to a rate limiter that never makes a caller wait: the same limiter alone, and one per key among
 * 1,000 keys held (a key already held: map lookup, two atomic updates, one coarse clock read).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class KeyedRateLimiterBenchmark {

    private static final int KEYS = 1_000;

    private RateLimiter plain;
    private KeyedPolicy<RateLimiter> keyed;
    private final String[] keys = new String[KEYS];
    private int next;

    /** Builds both with the same huge limit, and creates every key once. */
    @Setup
    public void setUp() {
        RateLimiterConfig config = RateLimiterConfig.builder()
                .limitForPeriod(Configs.HUGE_RATE)
                .limitRefreshPeriod(Configs.RATE_PERIOD)
                .timeoutDuration(Duration.ZERO)
                .build();
        plain = RateLimiter.of("rl", config);
        keyed = KeyedPolicy.rateLimiter("rl", config);
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "tenant-" + i;
            keyed.call(keys[i], Work.OURS);
        }
    }

    /** @return the work's result through the plain limiter */
    @Benchmark
    public Integer plain() {
        return plain.call(Work.OURS);
    }

    /** @return the work's result through the limiter of the next key (cycling through the keys held) */
    @Benchmark
    public Integer keyed() {
        int i = next;
        next = i + 1 == KEYS ? 0 : i + 1;
        return keyed.call(keys[i], Work.OURS);
    }
}

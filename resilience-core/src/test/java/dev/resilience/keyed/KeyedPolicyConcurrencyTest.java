package dev.resilience.keyed;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.core.ManualClock;
import dev.resilience.core.Together;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Many threads, more keys than the bound: a key's limit is never exceeded across eviction, and the size never passes the bound. */
class KeyedPolicyConcurrencyTest {

    private static final int THREADS = 8;

    @Test
    void bulkheadKeyNeverExceedsItsLimitAcrossEvictionAndSizeStaysWithinTheBound() throws Exception {
        ManualClock clock = new ManualClock();
        int maxKeys = 4;
        KeyedPolicy<Bulkhead> keyed = KeyedPolicy.bulkhead("pool",
                BulkheadConfig.builder().maxConcurrentCalls(1).maxKeys(maxKeys).build(), clock);
        ConcurrentHashMap<String, AtomicInteger> running = new ConcurrentHashMap<>();
        AtomicInteger overLimit = new AtomicInteger();
        AtomicInteger maxSize = new AtomicInteger();
        AtomicLong admitted = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        int perThread = 3_000;

        Together.run(THREADS, me -> {
            for (int i = 0; i < perThread; i++) {
                String key = "k" + ((i * 7 + me) % 11);
                try {
                    keyed.call(key, () -> {
                        AtomicInteger now = running.computeIfAbsent(key, k -> new AtomicInteger());
                        if (now.incrementAndGet() > 1) {
                            overLimit.incrementAndGet();
                        }
                        maxSize.accumulateAndGet(keyed.size(), Math::max);
                        Thread.yield();
                        now.decrementAndGet();
                        admitted.incrementAndGet();
                        return null;
                    });
                } catch (BulkheadFullException full) {
                    rejected.incrementAndGet();
                }
                maxSize.accumulateAndGet(keyed.size(), Math::max);
            }
        });

        assertThat(overLimit.get()).as("calls beyond one per key at the same time").isZero();
        assertThat(maxSize.get()).isLessThanOrEqualTo(maxKeys);
        assertThat(admitted.get() + rejected.get()).isEqualTo((long) THREADS * perThread);
        KeyedMetrics metrics = keyed.metrics();
        assertThat(metrics.permittedCalls()).isEqualTo(admitted.get());
        assertThat(metrics.rejectedCalls()).isEqualTo(rejected.get());
        assertThat(metrics.evictedKeys()).isPositive();
    }

    @Test
    void rateLimiterAdmitsExactlyTheLimitPerKeyWhileKeysAreBusy() throws Exception {
        ManualClock clock = new ManualClock();
        KeyedPolicy<RateLimiter> keyed = KeyedPolicy.rateLimiter("api", RateLimiterConfig.builder().limitForPeriod(10)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).maxKeys(4).build(), clock);
        ConcurrentHashMap<String, AtomicInteger> admittedPerKey = new ConcurrentHashMap<>();
        AtomicLong rejected = new AtomicLong();

        Together.run(THREADS, me -> {
            for (int i = 0; i < 300; i++) {
                String key = "tenant-" + ((i + me) % 6);
                try {
                    keyed.call(key, () -> admittedPerKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet());
                } catch (RequestNotPermittedException limited) {
                    rejected.incrementAndGet();
                }
                assertThat(keyed.size()).isLessThanOrEqualTo(4);
            }
        });

        // No time passes: four keys got in, each admitted exactly its limit; the others found every key busy.
        assertThat(admittedPerKey).hasSize(4);
        assertThat(admittedPerKey.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(10));
        assertThat(rejected.get()).isEqualTo(THREADS * 300L - 40);
        assertThat(keyed.metrics().permittedCalls()).isEqualTo(40);
        assertThat(keyed.metrics().rejectedCalls()).isEqualTo(rejected.get());
    }
}

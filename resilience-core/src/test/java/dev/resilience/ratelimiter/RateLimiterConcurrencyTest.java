package dev.resilience.ratelimiter;

import dev.resilience.core.Clock;
import dev.resilience.core.ManualClock;
import dev.resilience.core.Scheduled;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RateLimiterConcurrencyTest {

    private static final int THREADS = 64;

    private static List<Thread> start(int count, Runnable body) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(body, "caller-" + i);
            threads.add(t);
            t.start();
        }
        return threads;
    }

    private static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(30_000);
            assertThat(t.isAlive()).isFalse();
        }
    }

    private static void pass(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void admitsExactlyTheLimitPerPeriodUnderContention() throws Exception {
        ManualClock clock = new ManualClock();
        int limit = 50;
        int periods = 10;
        int triesPerThreadPerPeriod = 150;
        RateLimiter limiter = RateLimiter.of("hot", RateLimiterConfig.builder().limitForPeriod(limit)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build(), clock);
        AtomicInteger[] admitted = new AtomicInteger[periods];
        for (int p = 0; p < periods; p++) {
            admitted[p] = new AtomicInteger();
        }
        // The barrier's action moves the clock to the next period once every caller finished the current one.
        AtomicInteger period = new AtomicInteger(-1);
        CyclicBarrier barrier = new CyclicBarrier(THREADS, () -> {
            if (period.getAndIncrement() >= 0) {
                clock.advance(Duration.ofSeconds(1));
            }
        });
        List<Thread> threads = start(THREADS, () -> {
            for (int p = 0; p < periods; p++) {
                pass(barrier);
                int mine = 0;
                for (int i = 0; i < triesPerThreadPerPeriod; i++) {
                    if (limiter.acquirePermission()) {
                        mine++;
                    }
                }
                admitted[period.get()].addAndGet(mine);
            }
            pass(barrier);
        });
        joinAll(threads);
        for (int p = 0; p < periods; p++) {
            assertThat(admitted[p]).as("period %d", p).hasValue(limit);
        }
        long total = (long) THREADS * periods * triesPerThreadPerPeriod;
        assertThat(limiter.metrics().permittedCalls()).isEqualTo((long) limit * periods);
        assertThat(limiter.metrics().rejectedCalls()).isEqualTo(total - (long) limit * periods);
    }

    /** A clock that stands still; sleeping records the requested wait and returns at once. */
    private static final class FrozenClock implements Clock {
        final AtomicLong nanos = new AtomicLong();
        final Map<Long, AtomicInteger> sleeps = new ConcurrentHashMap<>();

        @Override
        public long nanoTime() {
            return nanos.get();
        }

        @Override
        public long currentTimeMillis() {
            return 0;
        }

        @Override
        public void sleep(long n) {
            sleeps.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public Scheduled schedule(Runnable task, long delayNanos) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void reservationsUnderContentionFillEachLaterPeriodExactlyUpToTheTimeout() throws Exception {
        FrozenClock clock = new FrozenClock();
        int limit = 10;
        int rounds = 10;
        int triesPerThread = 10;
        RateLimiter limiter = RateLimiter.of("reserve", RateLimiterConfig.builder().limitForPeriod(limit)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofMillis(3500)).build(), clock);
        CyclicBarrier barrier = new CyclicBarrier(THREADS);
                for (int round = 0; round < rounds; round++) {
            clock.nanos.set(Duration.ofSeconds(10L * round).plusMillis(400).toNanos());
            clock.sleeps.clear();
            long permittedBefore = limiter.metrics().permittedCalls();
            List<Thread> threads = start(THREADS, () -> {
                pass(barrier);
                for (int i = 0; i < triesPerThread; i++) {
                    limiter.acquirePermission();
                }
            });
            joinAll(threads);
            Map<Long, Integer> waits = new TreeMap<>();
            clock.sleeps.forEach((n, c) -> waits.put(n / 1_000_000, c.get()));
            // period 0: 10 without waiting; periods 1..3 (600, 1600, 2600 ms away): 10 each; period 4 (3600 ms) is beyond the timeout
            Map<Long, Integer> expected = new TreeMap<>(Map.of(600L, limit, 1600L, limit, 2600L, limit));
            assertThat(waits).as("round %d", round).isEqualTo(expected);
            assertThat(limiter.metrics().permittedCalls() - permittedBefore).isEqualTo(4L * limit);
            assertThat(limiter.metrics().waitingCalls()).isZero();
        }
        assertThat(limiter.metrics().rejectedCalls()).isEqualTo((long) rounds * (THREADS * triesPerThread - 4 * limit));
    }

    /** A clock whose sleep blocks until released, so waiting threads can be counted. */
    @Test
    void waitingCallsCountsThreadsSleepingForAReservedPermit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FrozenClock frozen = new FrozenClock();
        Clock blocking = new Clock() {
            @Override
            public long nanoTime() {
                return frozen.nanoTime();
            }

            @Override
            public long currentTimeMillis() {
                return 0;
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                release.await();
            }

            @Override
            public Scheduled schedule(Runnable task, long delayNanos) {
                throw new UnsupportedOperationException();
            }
        };
        RateLimiter limiter = RateLimiter.of("wait", RateLimiterConfig.builder().limitForPeriod(2)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofSeconds(60)).build(), blocking); // 64 callers: periods 1..32
        assertThat(limiter.acquirePermission()).isTrue();
        assertThat(limiter.acquirePermission()).isTrue();
        AtomicInteger ran = new AtomicInteger();
        List<Thread> threads = start(THREADS, () -> limiter.call(ran::incrementAndGet));
        await().atMost(10, TimeUnit.SECONDS).until(() -> limiter.metrics().waitingCalls() == THREADS);
        assertThat(ran).hasValue(0);
        assertThat(limiter.metrics().availablePermissions()).isZero();
        release.countDown();
        joinAll(threads);
        assertThat(ran).hasValue(THREADS);
        assertThat(limiter.metrics().waitingCalls()).isZero();
    }
}

package dev.resilience.ratelimiter;

import dev.resilience.core.Clock;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

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
    void admitsExactlyTheLimitPerPeriodUnderContentionWhenTheTimerOpensThePeriods() throws Exception {
        ManualClock clock = new ManualClock();
        admitExactlyTheLimitInEachOfTenPeriods(clock, clock::advance);
    }

    @Test
    void admitsExactlyTheLimitPerPeriodUnderContentionWhenCallersOpenThePeriods() throws Exception {
        HeldTimerClock clock = new HeldTimerClock(); // the timer never runs: the contending callers open each period
        AtomicInteger second = new AtomicInteger();
        admitExactlyTheLimitInEachOfTenPeriods(clock, period -> clock.setMillis(second.incrementAndGet() * 1000L));
    }

    private static void admitExactlyTheLimitInEachOfTenPeriods(Clock clock, Consumer<Duration> advance) throws Exception {
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
                advance.accept(Duration.ofSeconds(1));
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

    @Test
    void reservationsUnderContentionFillEachLaterPeriodExactlyUpToTheTimeout() throws Exception {
        HeldTimerClock clock = new HeldTimerClock(); // no timer: the waiters open their periods themselves
        int limit = 10;
        RateLimiter limiter = RateLimiter.of("reserve", RateLimiterConfig.builder().limitForPeriod(limit)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofMillis(3500)).build(), clock);
        for (int round = 0; round < 3; round++) {
            // round 0 starts at creation, later rounds long after the last period: its first caller opens a period
            long base = 10_000L * round;
            clock.setMillis(base);
            long permittedBefore = limiter.metrics().permittedCalls();
            long rejectedBefore = limiter.metrics().rejectedCalls();
            Map<Long, AtomicInteger> admittedAt = new ConcurrentHashMap<>();
            CyclicBarrier barrier = new CyclicBarrier(THREADS);
            List<Thread> threads = start(THREADS, () -> {
                pass(barrier);
                if (limiter.acquirePermission()) {
                    admittedAt.computeIfAbsent(clock.nanoTime() / 1_000_000 - base, k -> new AtomicInteger()).incrementAndGet();
                }
            });
            // 10 permits now; periods 1..3 (due in 1, 2 and 3 s) are reserved 10 each; period 4 (4 s) is beyond the
            // timeout, so the other 24 callers are refused at once
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
                assertThat(limiter.metrics().waitingCalls()).as("waiting").isEqualTo(3 * limit);
                assertThat(clock.sleeping()).as("asleep until their periods").isEqualTo(3 * limit);
                assertThat(limiter.metrics().rejectedCalls() - rejectedBefore).as("refused at once").isEqualTo(THREADS - 4L * limit);
            });
            assertThat(limiter.metrics().permittedCalls() - permittedBefore).isEqualTo(limit);
            for (int period = 1; period <= 3; period++) {
                clock.setMillis(base + period * 1000L);
                long expected = (period + 1L) * limit;
                int stillAsleep = (3 - period) * limit;
                await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
                    assertThat(limiter.metrics().permittedCalls() - permittedBefore).as("permitted").isEqualTo(expected);
                    // waiters of later periods that woke with this jump are back asleep before the clock moves again
                    assertThat(clock.sleeping()).as("asleep until their periods").isEqualTo(stillAsleep);
                });
            }
            joinAll(threads);
            assertThat(counts(admittedAt)).as("round %d", round).isEqualTo(Map.of(0L, limit, 1000L, limit, 2000L, limit, 3000L, limit));
            assertThat(limiter.metrics().waitingCalls()).isZero();
        }
        // each waiter slept once, exactly until its period was due
        assertThat(clock.sleptMillis()).isEqualTo(Map.of(1000L, 30, 2000L, 30, 3000L, 30));
    }

    @Test
    void waitingCallsCountsThreadsSleepingForAReservedPermit() throws Exception {
        HeldTimerClock clock = new HeldTimerClock();
        RateLimiter limiter = RateLimiter.of("wait", RateLimiterConfig.builder().limitForPeriod(2)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofSeconds(60)).build(), clock); // 64 callers: periods 1..32
        assertThat(limiter.acquirePermission()).isTrue();
        assertThat(limiter.acquirePermission()).isTrue();
        AtomicInteger ran = new AtomicInteger();
        List<Thread> threads = start(THREADS, () -> limiter.call(ran::incrementAndGet));
        await().atMost(10, TimeUnit.SECONDS).until(() -> limiter.metrics().waitingCalls() == THREADS);
        assertThat(ran).hasValue(0);
        assertThat(limiter.metrics().availablePermissions()).isZero();
        clock.letSleepsAdvanceTime();
        joinAll(threads);
        assertThat(ran).hasValue(THREADS);
        assertThat(limiter.metrics().waitingCalls()).isZero();
    }

    private static Map<Long, Integer> counts(Map<Long, AtomicInteger> counters) {
        Map<Long, Integer> result = new TreeMap<>();
        counters.forEach((key, count) -> result.put(key, count.get()));
        return result;
    }
}

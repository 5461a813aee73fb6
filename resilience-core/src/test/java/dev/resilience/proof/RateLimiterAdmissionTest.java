package dev.resilience.proof;

import dev.resilience.core.ManualClock;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** The rate limiter admits exactly its limit per period under a stampede, follows run-time limit changes, and keeps a high rate on the real clock. */
class RateLimiterAdmissionTest {

    private static final Duration PERIOD = Duration.ofSeconds(1);

    @Test
    void fiveHundredThreadsOnABarrierGetExactlyTheLimitInEachOfTenPeriods() throws Exception {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = RateLimiter.of("stampede", RateLimiterConfig.builder()
                .limitForPeriod(50).limitRefreshPeriod(PERIOD).timeoutDuration(Duration.ZERO).build(), clock);

        List<Integer> admitted = stampede(limiter, clock, 500, 10, period -> 0);

        assertThat(admitted).containsExactly(50, 50, 50, 50, 50, 50, 50, 50, 50, 50);
    }

    @Test
    void aLimitChangedAtRunTimeKeepsRefreshingEveryPeriod() throws Exception {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = RateLimiter.of("changing", RateLimiterConfig.builder()
                .limitForPeriod(10).limitRefreshPeriod(PERIOD).timeoutDuration(Duration.ZERO).build(), clock);

        // Before period 3 the limit drops to 3; before period 6 it rises to 7.
        List<Integer> admitted = stampede(limiter, clock, 100, 9, period -> period == 3 ? 3 : period == 6 ? 7 : 0);

        assertThat(admitted).containsExactly(10, 10, 10, 3, 3, 3, 7, 7, 7);
        assertThat(limiter.metrics().limitForPeriod()).isEqualTo(7);
    }

    @Test
    void aHighRateOnTheRealClockAdmitsWithinFivePercentOfTheLimitOverFiveSeconds() throws Exception {
        // 50 permits every 10 ms = 5,000/s. Callers queue (timeout 1 s), and there are enough of them that permits
        // are always reserved ahead: a caller descheduled on a busy machine then delays only its own return, and
        // no period's permits go unused for want of a caller asking.
        RateLimiter limiter = RateLimiter.of("real", RateLimiterConfig.builder()
                .limitForPeriod(50).limitRefreshPeriod(Duration.ofMillis(10)).timeoutDuration(Duration.ofSeconds(1)).build());
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(5);
        AtomicLong admittedInWindow = new AtomicLong();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
            Thread caller = new Thread(() -> {
                while (true) {
                    boolean permitted = limiter.acquirePermission();
                    if (System.nanoTime() >= end) {
                        return;
                    }
                    if (permitted) {
                        admittedInWindow.incrementAndGet();
                    }
                }
            });
            caller.setDaemon(true);
            callers.add(caller);
            caller.start();
        }
        for (Thread caller : callers) {
            caller.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(caller.isAlive()).isFalse();
        }
        System.out.printf("RateLimiterAdmissionTest: %d admitted in 5 s at 5,000/s (expected 25,000)%n", admittedInWindow.get());

        assertThat(admittedInWindow.get()).isBetween(23_750L, 26_250L);
    }

    /**
     * Runs {@code periods} periods; in each, {@code threads} threads released together each ask once.
     *
     * @param newLimit before each period: the limit to set, or 0 to keep it
     * @return the number admitted in each period
     */
    private static List<Integer> stampede(RateLimiter limiter, ManualClock clock, int threads, int periods,
                                          IntUnaryOperator newLimit) throws Exception {
        List<Integer> admitted = new ArrayList<>();
        AtomicInteger admittedThisPeriod = new AtomicInteger();
        AtomicInteger period = new AtomicInteger(-1);
        CyclicBarrier barrier = new CyclicBarrier(threads, () -> {
            int next = period.incrementAndGet();
            if (next > 0) {
                admitted.add(admittedThisPeriod.getAndSet(0));
            }
            // A changed limit applies from the next opening: set it before the period timer opens the period.
            int limit = newLimit.applyAsInt(next);
            if (limit > 0) {
                limiter.changeLimitForPeriod(limit);
            }
            if (next > 0) {
                clock.advance(PERIOD);
            }
        });
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    for (int p = 0; p < periods; p++) {
                        barrier.await(60, TimeUnit.SECONDS);
                        if (limiter.acquirePermission()) {
                            admittedThisPeriod.incrementAndGet();
                        }
                    }
                    barrier.await(60, TimeUnit.SECONDS);
                } catch (Throwable e) {
                    unexpected.add(e);
                    barrier.reset();
                }
            });
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(worker.isAlive()).isFalse();
        }
        assertThat(unexpected).isEmpty();
        return admitted;
    }
}

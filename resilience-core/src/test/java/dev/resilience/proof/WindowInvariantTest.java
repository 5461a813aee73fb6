package dev.resilience.proof;

import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window's counts stay consistent while 32 threads record random outcomes and a sampler reads the metrics,
 * and a clock stepping backwards never corrupts a time-based window.
 */
class WindowInvariantTest {

    private static final int THREADS = 32;
    private static final int CALLS_PER_THREAD = 2_000;
    private static final int COUNT_WINDOW = 50;
    private static final int TIME_WINDOW_SECONDS = 3;

    private final ManualClock clock = new ManualClock();

    @Test
    void countsStayOrderedAndWithinTheCountWindowUnderRandomOutcomes() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.of("count", config(SlidingWindowType.COUNT_BASED, COUNT_WINDOW), clock);

        Run run = hammer(breaker, false);

        assertThat(run.violations).isEmpty();
        assertThat(run.samples.get()).isPositive();
        assertThat(breaker.metrics().bufferedCalls()).isEqualTo(COUNT_WINDOW);
    }

    @Test
    void countsStayOrderedInATimeWindowWhileTheClockJumpsBackAndForth() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.of("time", config(SlidingWindowType.TIME_BASED, TIME_WINDOW_SECONDS), clock);

        Run run = hammer(breaker, true);

        assertThat(run.violations).isEmpty();
        assertThat(run.samples.get()).isPositive();
        // Once time has moved past everything recorded, the window is empty: nothing was lost or counted twice.
        clock.setNanoTime(Duration.ofHours(1).toNanos());
        assertThat(breaker.metrics().bufferedCalls()).isZero();
        assertThat(breaker.metrics().failedCalls()).isZero();
        assertThat(breaker.metrics().slowCalls()).isZero();
        recordFailures(breaker, 3);
        recordSuccesses(breaker, 4);
        assertThat(breaker.metrics().bufferedCalls()).isEqualTo(7);
        assertThat(breaker.metrics().failedCalls()).isEqualTo(3);
    }

    @Test
    void aClockSteppingBackwardsKeepsTheTimeWindowCountingFromItsLatestSecond() throws Throwable {
        CircuitBreaker breaker = CircuitBreaker.of("backwards", config(SlidingWindowType.TIME_BASED, 10), clock);
        clock.setNanoTime(Duration.ofSeconds(20).toNanos());
        recordFailures(breaker, 5);

        clock.setNanoTime(Duration.ofSeconds(5).toNanos());
        recordSuccesses(breaker, 3);
        clock.setNanoTime(-Duration.ofDays(365).toNanos());
        recordSuccesses(breaker, 2);

        assertThat(breaker.metrics().bufferedCalls()).isEqualTo(10);
        assertThat(breaker.metrics().failedCalls()).isEqualTo(5);
        clock.setNanoTime(Duration.ofSeconds(29).toNanos());
        assertThat(breaker.metrics().bufferedCalls()).isEqualTo(10);
        clock.setNanoTime(Duration.ofSeconds(30).toNanos());
        assertThat(breaker.metrics().bufferedCalls()).isZero();
        assertThat(breaker.metrics().failedCalls()).isZero();
    }

    private static CircuitBreakerConfig config(SlidingWindowType type, int size) {
        // Thresholds of 100 % with a large minimum keep the breaker CLOSED, so every call is recorded.
        return CircuitBreakerConfig.builder()
                .slidingWindowType(type).slidingWindowSize(size)
                .minimumNumberOfCalls(1_000_000).failureRateThreshold(100).slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofMillis(5))
                .build();
    }

    private static void recordFailures(CircuitBreaker breaker, int n) {
        for (int i = 0; i < n; i++) {
            try {
                breaker.call(() -> {
                    throw new IllegalStateException("failure");
                });
            } catch (IllegalStateException expected) {
                // recorded
            }
        }
    }

    private static void recordSuccesses(CircuitBreaker breaker, int n) {
        for (int i = 0; i < n; i++) {
            breaker.call(() -> "ok");
        }
    }

    private record Run(ConcurrentLinkedQueue<String> violations, AtomicLong samples) {
    }

    private Run hammer(CircuitBreaker breaker, boolean jumpClock) throws Exception {
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicLong samples = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        // Workers pause half-way until the sampler has read once, so that a sample is always taken mid-run (on a
        // busy two-core machine the sampler might otherwise first be scheduled after every worker has finished).
        CountDownLatch sampledOnce = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(start(() -> {
                await(start);
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    if (i == CALLS_PER_THREAD / 2) {
                        awaitAtMost(sampledOnce, 30);
                    }
                    int outcome = random.nextInt(4);
                    try {
                        breaker.call(() -> {
                            if (outcome >= 2) {
                                // a slow call: time passes while it runs (and for every call in flight)
                                clock.advanceNanos(Duration.ofMillis(6).toNanos());
                            }
                            if (outcome % 2 == 1) {
                                throw new IllegalStateException("failure");
                            }
                            return "ok";
                        });
                    } catch (IllegalStateException expected) {
                        // recorded as failed
                    } catch (CallNotPermittedException e) {
                        violations.add("the breaker left CLOSED: " + e.getMessage());
                    }
                }
            }));
        }
        Thread sampler = start(() -> {
            await(start);
            while (!done.get()) {
                check(breaker.metrics(), breaker.config(), violations);
                samples.incrementAndGet();
                sampledOnce.countDown();
            }
        });
        Thread jumper = jumpClock ? start(() -> {
            await(start);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!done.get()) {
                long now = clock.nanoTime();
                // Mostly backwards by up to two windows, sometimes forward: the window must tolerate both.
                long step = random.nextLong(-2L * TIME_WINDOW_SECONDS, TIME_WINDOW_SECONDS) * 1_000_000_000L;
                clock.setNanoTime(now + step);
                Thread.onSpinWait();
            }
        }) : null;
        start.countDown();
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(worker.isAlive()).as("worker ended").isFalse();
        }
        done.set(true);
        sampler.join(TimeUnit.SECONDS.toMillis(30));
        if (jumper != null) {
            jumper.join(TimeUnit.SECONDS.toMillis(30));
        }
        check(breaker.metrics(), breaker.config(), violations);
        return new Run(violations, samples);
    }

    private static void check(CircuitBreakerMetrics m, CircuitBreakerConfig config, ConcurrentLinkedQueue<String> violations) {
        boolean ordered = 0 <= m.slowFailedCalls() && m.slowFailedCalls() <= m.failedCalls()
                && m.failedCalls() <= m.bufferedCalls()
                && m.slowFailedCalls() <= m.slowCalls() && m.slowCalls() <= m.bufferedCalls()
                && m.successfulCalls() == m.bufferedCalls() - m.failedCalls();
        boolean bounded = config.slidingWindowType() == SlidingWindowType.TIME_BASED
                || m.bufferedCalls() <= config.slidingWindowSize();
        if ((!ordered || !bounded) && violations.size() < 20) {
            violations.add(m.toString());
        }
    }

    private static void awaitAtMost(CountDownLatch latch, long seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread start(Runnable body) {
        Thread thread = new Thread(body);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}

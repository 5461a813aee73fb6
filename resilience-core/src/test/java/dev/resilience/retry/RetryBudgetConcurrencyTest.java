package dev.resilience.retry;

import dev.resilience.core.ForwardingClock;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetConcurrencyTest {

    private static final int THREADS = 16;
    private static final int TRIES_PER_THREAD = 2_000;

    private final ManualClock clock = new ManualClock();

    private static void race(Runnable perThreadWork) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                perThreadWork.run();
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    @Test
    void racingThreadsAreAllowedExactlyTheBound() throws Exception {
        RetryBudget budget = RetryBudget.of(0.2, Duration.ofSeconds(10), 5, clock);
        for (int i = 0; i < 1_000; i++) {
            budget.recordFirstAttempt();
        }
        AtomicLong allowed = new AtomicLong();
        race(() -> {
            for (int i = 0; i < TRIES_PER_THREAD; i++) {
                if (budget.tryAcquireRetry()) {
                    allowed.incrementAndGet();
                }
            }
        });
        // floor(0.2 * 1000 + 5 * 10) = 250 of 32,000 tries.
        assertThat(allowed).hasValue(250);
        assertThat(budget.remaining()).isZero();
    }

    @Test
    void racingFirstAttemptsAndRetriesNeverExceedTheBound() throws Exception {
        RetryBudget budget = RetryBudget.of(0.2, Duration.ofSeconds(10), 5, clock);
        AtomicLong allowed = new AtomicLong();
        race(() -> {
            for (int i = 0; i < TRIES_PER_THREAD; i++) {
                budget.recordFirstAttempt();
                if (budget.tryAcquireRetry()) {
                    allowed.incrementAndGet();
                }
            }
        });
        long bound = (long) Math.floor(0.2 * THREADS * TRIES_PER_THREAD + 5 * 10); // 6,450
        assertThat(allowed.get()).isLessThanOrEqualTo(bound);
        assertThat(budget.remaining()).isEqualTo(bound - allowed.get());
    }

    /** A ManualClock whose first reading by one chosen thread holds that thread until released. */
    private static final class PausingClock extends ForwardingClock {
        final CountDownLatch read = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);
        volatile Thread pausing;

        @Override
        public long nanoTime() {
            long now = time.nanoTime();
            if (Thread.currentThread() == pausing) {
                pausing = null;
                read.countDown();
                try {
                    assertThat(resume.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return now;
        }
    }

    @Test
    void retriesOnEitherSideOfASecondBoundaryTogetherStayWithinTheBound() throws Exception {
        PausingClock clock = new PausingClock();
        // floor(0 * firstAttempts + 0.5 * 2) = 1 retry in any two-second window
        RetryBudget budget = RetryBudget.of(0, Duration.ofSeconds(2), 0.5, clock);
        clock.time.advance(Duration.ofMillis(999));
        AtomicBoolean lateGranted = new AtomicBoolean();
        Thread late = new Thread(() -> lateGranted.set(budget.tryAcquireRetry()));
        clock.pausing = late;
        late.start();
        // The late thread has read second 0 and is held there while the clock moves into second 1 ...
        assertThat(clock.read.await(10, TimeUnit.SECONDS)).isTrue();
        clock.time.advance(Duration.ofMillis(1));
        // ... where another retry takes the one allowed ...
        boolean onTimeGranted = budget.tryAcquireRetry();
        clock.resume.countDown();
        late.join(10_000);

        // ... so the late one, whose second 0 lies in the same window, must be refused.
        assertThat(late.isAlive()).isFalse();
        assertThat(onTimeGranted).isTrue();
        assertThat(lateGranted).isFalse();
        assertThat(budget.remaining()).isZero();
    }
}

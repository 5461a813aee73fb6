package dev.resilience.retry;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
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
}

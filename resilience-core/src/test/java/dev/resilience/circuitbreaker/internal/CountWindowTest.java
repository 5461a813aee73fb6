package dev.resilience.circuitbreaker.internal;

import org.junit.jupiter.api.Test;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CountWindowTest {

    @Test
    void evictsTheOutcomeRecordedWindowSizeCallsEarlier() {
        CountWindow w = new CountWindow(3);
        w.record(Outcome.FAILURE);
        w.record(Outcome.SLOW_SUCCESS);
        w.record(Outcome.SUCCESS);
        long a = w.record(Outcome.SLOW_FAILURE);
        assertThat(CountWindow.buffered(a)).isEqualTo(3);
        assertThat(CountWindow.count(a, Outcome.FAILURE)).isZero();
        assertThat(CountWindow.count(a, Outcome.SLOW_FAILURE)).isEqualTo(1);
        assertThat(CountWindow.failed(a)).isEqualTo(1);
        assertThat(CountWindow.slow(a)).isEqualTo(2);
    }

    @Test
    void holdsUpTo65535OfOneCategoryWithoutOverflowingIntoTheNext() {
        CountWindow w = new CountWindow(65_535);
        long a = 0;
        for (int i = 0; i < 65_535; i++) {
            a = w.record(Outcome.SLOW_SUCCESS);
        }
        assertThat(CountWindow.count(a, Outcome.SLOW_SUCCESS)).isEqualTo(65_535);
        assertThat(CountWindow.count(a, Outcome.FAILURE)).isZero();
        a = w.record(Outcome.FAILURE);
        assertThat(CountWindow.count(a, Outcome.SLOW_SUCCESS)).isEqualTo(65_534);
        assertThat(CountWindow.count(a, Outcome.FAILURE)).isEqualTo(1);
    }

    private static void assertConsistent(long a, int size, Queue<String> problems) {
        int buffered = CountWindow.buffered(a);
        int failed = CountWindow.failed(a);
        int slowFailed = CountWindow.count(a, Outcome.SLOW_FAILURE);
        int slow = CountWindow.slow(a);
        if (!(0 <= slowFailed && slowFailed <= failed && failed <= buffered && buffered <= size && slow <= buffered)) {
            problems.add("inconsistent " + Long.toHexString(a));
        }
    }

    private static long[] hammer(CountWindow w, int threads, int perThread, Queue<String> problems) throws Exception {
        return hammer(w, threads, perThread, false, problems);
    }

    /**
     * Runs recording threads released together plus a sampler; with {@code batches}, a quarter of the steps record a
     * batch of successes instead of one outcome. Returns per-category counts recorded.
     */
    private static long[] hammer(CountWindow w, int threads, int perThread, boolean batches, Queue<String> problems)
            throws Exception {
        AtomicLongArray recorded = new AtomicLongArray(4);
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                assertConsistent(w.snapshot(), w.size(), problems);
            }
        });
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                try {
                    start.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    problems.add(e.toString());
                    return;
                }
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < perThread; i++) {
                    if (batches && random.nextInt(4) == 0) {
                        int n = 1 + random.nextInt(Math.min(w.size(), 8));
                        assertConsistent(w.recordSuccesses(n, 1 + random.nextInt(w.size())), w.size(), problems);
                        recorded.addAndGet(Outcome.SUCCESS, n);
                        continue;
                    }
                    int category = random.nextInt(4);
                    assertConsistent(w.record(category), w.size(), problems);
                    recorded.incrementAndGet(category);
                }
            });
            workers[t].start();
        }
        sampler.start();
        start.await(30, TimeUnit.SECONDS);
        for (Thread worker : workers) {
            worker.join(60_000);
            assertThat(worker.isAlive()).isFalse();
        }
        running.set(false);
        sampler.join(10_000);
        return new long[] {recorded.get(0), recorded.get(1), recorded.get(2), recorded.get(3)};
    }

    @Test
    void thirtyTwoThreadsOnALargeWindowGiveExactTotals() throws Exception {
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        CountWindow w = new CountWindow(65_535);
        long[] recorded = hammer(w, 32, 2_000, problems);
        assertThat(problems).isEmpty();
        long a = w.snapshot();
        for (int c = 0; c < 4; c++) {
            assertThat((long) CountWindow.count(a, c)).as("category %d", c).isEqualTo(recorded[c]);
        }
    }

    @Test
    void thirtyTwoThreadsLappingATinyWindowNeverBreakTheInvariants() throws Exception {
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        CountWindow w = new CountWindow(3);
        hammer(w, 32, 500, problems);
        assertThat(problems).isEmpty();
        assertThat(CountWindow.buffered(w.snapshot())).isEqualTo(3);
        // after the storm the ring still evicts exactly: three slow failures replace whatever was there
        long a = 0;
        for (int i = 0; i < 3; i++) {
            a = w.record(Outcome.SLOW_FAILURE);
        }
        assertThat(CountWindow.count(a, Outcome.SLOW_FAILURE)).isEqualTo(3);
        assertThat(CountWindow.buffered(a)).isEqualTo(3);
    }

    @Test
    void windowOfOneWithManyThreadsBehavesAsAQueue() throws Exception {
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        CountWindow w = new CountWindow(1);
        hammer(w, 32, 500, problems);
        assertThat(problems).isEmpty();
        assertThat(CountWindow.buffered(w.snapshot())).isEqualTo(1);
    }

    @Test
    void aBatchOfSuccessesLeavesTheWindowAsTheSameSuccessesOneByOneWould() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int round = 0; round < 200; round++) {
            int size = 1 + random.nextInt(12);
            CountWindow batched = new CountWindow(size);
            CountWindow single = new CountWindow(size);
            for (int i = random.nextInt(30); i > 0; i--) {
                int category = random.nextInt(4);
                batched.record(category);
                single.record(category);
            }
            int n = 1 + random.nextInt(size);
            long last = 0;
            for (int i = 0; i < n; i++) {
                last = single.record(Outcome.SUCCESS);
            }
            batched.recordSuccesses(n, size + 1);
            assertThat(batched.snapshot()).as("round %d", round).isEqualTo(single.snapshot()).isEqualTo(last);
            // both go on evicting the same outcomes
            assertThat(batched.record(Outcome.SLOW_FAILURE)).isEqualTo(single.record(Outcome.SLOW_FAILURE));
        }
    }

    @Test
    void aBatchReportsTheWindowAtTheSuccessThatFirstReachesTheMinimum() {
        CountWindow w = new CountWindow(10);
        w.record(Outcome.FAILURE);
        w.record(Outcome.SLOW_FAILURE);
        w.record(Outcome.FAILURE);
        long point = w.recordSuccesses(4, 5);
        assertThat(CountWindow.buffered(point)).isEqualTo(5);
        assertThat(CountWindow.failed(point)).isEqualTo(3);
        assertThat(CountWindow.buffered(w.snapshot())).isEqualTo(7);
    }

    @Test
    void aBatchAlreadyOverTheMinimumReportsTheWindowAfterItsFirstSuccess() {
        CountWindow w = new CountWindow(4);
        for (int i = 0; i < 4; i++) {
            w.record(Outcome.FAILURE);
        }
        long point = w.recordSuccesses(3, 2);
        assertThat(CountWindow.buffered(point)).isEqualTo(4);
        assertThat(CountWindow.failed(point)).isEqualTo(3);
        assertThat(CountWindow.failed(w.snapshot())).isEqualTo(1);
    }

    @Test
    void aBatchThatNeverReachesTheMinimumReportsTheWindowAfterItsLastSuccess() {
        CountWindow w = new CountWindow(10);
        w.record(Outcome.FAILURE);
        long point = w.recordSuccesses(3, 10);
        assertThat(point).isEqualTo(w.snapshot());
        assertThat(CountWindow.buffered(point)).isEqualTo(4);
    }

    @Test
    void aBatchHoldsBetweenOneSuccessAndTheWindowsSize() {
        CountWindow w = new CountWindow(5);
        assertThatThrownBy(() -> w.recordSuccesses(0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and 5");
        assertThatThrownBy(() -> w.recordSuccesses(6, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 6");
        assertThat(w.snapshot()).isZero();
    }

    @Test
    void batchesAndSingleOutcomesFromThirtyTwoThreadsGiveExactTotals() throws Exception {
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        CountWindow w = new CountWindow(65_535);
        long[] recorded = hammer(w, 32, 500, true, problems);
        assertThat(problems).isEmpty();
        long a = w.snapshot();
        for (int c = 0; c < 4; c++) {
            assertThat((long) CountWindow.count(a, c)).as("category %d", c).isEqualTo(recorded[c]);
        }
    }

    @Test
    void batchesLappingATinyWindowFromThirtyTwoThreadsNeverBreakTheInvariants() throws Exception {
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        CountWindow w = new CountWindow(3);
        hammer(w, 32, 500, true, problems);
        assertThat(problems).isEmpty();
        assertThat(CountWindow.buffered(w.snapshot())).isEqualTo(3);
        long a = w.recordSuccesses(3, 3);
        assertThat(CountWindow.count(w.snapshot(), Outcome.SUCCESS)).isEqualTo(3);
        assertThat(CountWindow.buffered(a)).isEqualTo(3);
    }
}

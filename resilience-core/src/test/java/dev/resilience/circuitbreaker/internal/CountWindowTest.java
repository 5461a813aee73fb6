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

    /** Runs 32 recording threads released together plus a sampler; returns per-category counts recorded. */
    private static long[] hammer(CountWindow w, int threads, int perThread, Queue<String> problems) throws Exception {
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
}

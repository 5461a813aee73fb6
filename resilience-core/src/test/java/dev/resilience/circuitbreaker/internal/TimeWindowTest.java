package dev.resilience.circuitbreaker.internal;

import org.junit.jupiter.api.Test;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;

class TimeWindowTest {

    private static final long SECOND = 1_000_000_000L;

    private static long[] totals(TimeWindow w) {
        return w.counts();
    }

    @Test
    void expiresExactlyTheSecondsThatLeaveTheWindow() {
        TimeWindow w = new TimeWindow(2, 0);
        w.record(Outcome.FAILURE, 0);
        w.record(Outcome.SUCCESS, SECOND);
        w.record(Outcome.SLOW_SUCCESS, SECOND + 5);
        assertThat(totals(w)).containsExactly(1, 1, 1, 0);
        w.advance(2 * SECOND);
        assertThat(totals(w)).containsExactly(1, 1, 0, 0);
        w.advance(3 * SECOND - 1);
        assertThat(totals(w)).containsExactly(1, 1, 0, 0);
        w.advance(3 * SECOND);
        assertThat(totals(w)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void reusesABucketForItsNextSecondAfterClearingIt() {
        TimeWindow w = new TimeWindow(3, 0);
        w.record(Outcome.SLOW_FAILURE, 0);
        w.record(Outcome.SUCCESS, 3 * SECOND); // same bucket as second 0
        assertThat(totals(w)).containsExactly(1, 0, 0, 0);
    }

    @Test
    void timeBeforeOriginOrBackwardsCountsInTheLatestSecond() {
        TimeWindow w = new TimeWindow(2, 10 * SECOND);
        w.record(Outcome.FAILURE, 0);
        w.record(Outcome.FAILURE, 15 * SECOND);
        w.record(Outcome.SUCCESS, 11 * SECOND);
        assertThat(totals(w)).containsExactly(1, 0, 1, 0);
        w.advance(16 * SECOND);
        assertThat(totals(w)).containsExactly(1, 0, 1, 0);
        w.advance(17 * SECOND);
        assertThat(totals(w)).containsExactly(0, 0, 0, 0);
    }

    /** Runs its action the first time only: the interleaving happens once, as it would between two threads. */
    private static final class Once implements Runnable {
        Runnable action = () -> { };
        private boolean done;

        @Override
        public void run() {
            if (!done) {
                done = true;
                action.run();
            }
        }
    }

    private static void record(TimeWindow w, int category, int times, long nowNanos) {
        for (int i = 0; i < times; i++) {
            w.record(category, nowNanos);
        }
    }

    @Test
    void aRollBetweenTheReadsOfTheFailureRateReportsARateTheWindowHad() {
        Once roll = new Once();
        TimeWindow w = new TimeWindow(2, 0, roll);
        record(w, Outcome.SUCCESS, 90, 0);
        record(w, Outcome.FAILURE, 10, 0);
        record(w, Outcome.SUCCESS, 1, SECOND);
        record(w, Outcome.FAILURE, 1, SECOND);
        roll.action = () -> w.advance(2 * SECOND); // second 0 leaves while the rate is being read
        // 11 of 102 before the roll, 1 of 2 after it; mixing the two would read 11 of 12 (91.7 %)
        assertThat(w.failureRate(0, 2)).isEqualTo(50f);
    }

    @Test
    void aRollBetweenTheReadsOfTheSlowCallRateReportsARateTheWindowHad() {
        Once roll = new Once();
        TimeWindow w = new TimeWindow(2, 0, roll);
        record(w, Outcome.SUCCESS, 90, 0);
        record(w, Outcome.SLOW_SUCCESS, 5, 0);
        record(w, Outcome.SLOW_FAILURE, 5, 0);
        record(w, Outcome.SUCCESS, 1, SECOND);
        record(w, Outcome.SLOW_FAILURE, 1, SECOND);
        roll.action = () -> w.advance(2 * SECOND);
        assertThat(w.slowCallRate(0, 2)).isEqualTo(50f);
    }

    @Test
    void callsRecordedBetweenTheReadsOfARateNeverRaiseIt() {
        Once calls = new Once();
        TimeWindow w = new TimeWindow(10, 0, calls);
        w.record(Outcome.SLOW_SUCCESS, 0);
        w.record(Outcome.SUCCESS, 0); // slow-call rate 50 %
        // a fast failure, then a slow success: the window goes through 33 % and back to 50 %, never higher
        calls.action = () -> {
            w.record(Outcome.FAILURE, 0);
            w.record(Outcome.SLOW_SUCCESS, 0);
        };
        assertThat(w.slowCallRate(0, 1)).isLessThanOrEqualTo(50f);
        // the same for the failure rate: a slow success, then a slow failure (50 %, 33 %, 50 %)
        Once more = new Once();
        TimeWindow v = new TimeWindow(10, 0, more);
        v.record(Outcome.FAILURE, 0);
        v.record(Outcome.SUCCESS, 0);
        more.action = () -> {
            v.record(Outcome.SLOW_SUCCESS, 0);
            v.record(Outcome.SLOW_FAILURE, 0);
        };
        assertThat(v.failureRate(0, 1)).isLessThanOrEqualTo(50f);
    }

    @Test
    void ratesOfSuccessesAboutToBeAddedAreTakenWhereTheyReachTheMinimum() {
        TimeWindow w = new TimeWindow(10, 0);
        record(w, Outcome.FAILURE, 3, 0);
        assertThat(w.failureRate(0, 5)).isEqualTo(-1f);
        assertThat(w.failureRate(1, 5)).isEqualTo(-1f);
        assertThat(w.failureRate(2, 5)).isEqualTo(60f); // 3 of 5, where the second success reaches the minimum
        assertThat(w.failureRate(9, 5)).isEqualTo(60f);
        assertThat(w.failureRate(1, 2)).isEqualTo(75f); // already over the minimum: the first success counts
        assertThat(w.failureRate(0, 3)).isEqualTo(100f);
    }

    @Test
    void thirtyTwoThreadsWithinTheWindowGiveExactTotals() throws Exception {
        int seconds = 10;
        TimeWindow w = new TimeWindow(seconds, 0);
        AtomicLong now = new AtomicLong();
        AtomicLongArray recorded = new AtomicLongArray(4);
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        // the sampler moves time forward, but never out of the window
        run(w, 32, 2_000, now, recorded, problems, () -> now.set(Math.min(now.get() + SECOND / 50, (seconds - 1) * SECOND)));
        assertThat(problems).isEmpty();
        assertThat(totals(w)).containsExactly(recorded.get(0), recorded.get(1), recorded.get(2), recorded.get(3));
        w.advance(now.get() + seconds * SECOND);
        assertThat(totals(w)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void thirtyTwoThreadsWhileTheWindowRollsNeverSeeNegativeTotalsAndEmptyToZero() throws Exception {
        TimeWindow w = new TimeWindow(3, 0);
        AtomicLong now = new AtomicLong();
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        // time jumps forwards by up to 5 s and sometimes backwards
        run(w, 32, 2_000, now, new AtomicLongArray(4), problems, () -> {
            long step = ThreadLocalRandom.current().nextLong(-SECOND, 5 * SECOND);
            now.addAndGet(step / 20);
        });
        assertThat(problems).isEmpty();
        // every recorded call was either expired with its bucket or is still in one: expiring all leaves exactly 0
        w.advance(Math.max(now.get(), 0) + 1_000 * SECOND);
        assertThat(totals(w)).containsExactly(0, 0, 0, 0);
    }

    private static void run(TimeWindow w, int threads, int perThread, AtomicLong now, AtomicLongArray recorded,
                            Queue<String> problems, Runnable tick) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                long[] t = totals(w);
                if (t[0] < 0 || t[1] < 0 || t[2] < 0 || t[3] < 0) {
                    problems.add("negative total " + java.util.Arrays.toString(t));
                }
                tick.run();
                w.advance(now.get());
            }
        });
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Thread(() -> {
                try {
                    start.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    problems.add(e.toString());
                    return;
                }
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int c = 0; c < perThread; c++) {
                    int category = random.nextInt(4);
                    w.record(category, now.get());
                    recorded.incrementAndGet(category);
                }
            });
            workers[i].start();
        }
        sampler.start();
        start.await(30, TimeUnit.SECONDS);
        for (Thread worker : workers) {
            worker.join(60_000);
            assertThat(worker.isAlive()).isFalse();
        }
        running.set(false);
        sampler.join(10_000);
    }
}

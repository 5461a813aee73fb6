package dev.resilience.bulkhead;

import dev.resilience.core.ManualClock;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bulkhead's metrics under many threads: the call counts are exact whatever way calls end or give up, the
 * permitted count never goes down, and the free permits are never reported outside [0, limit].
 */
class BulkheadMetricsConcurrencyTest {

    private static final int LIMIT = 4;

    /** How the calls of a run ended, as their callers saw it. */
    private static final class Outcomes {
        final LongAdder succeeded = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder timedOut = new LongAdder();
        final LongAdder interrupted = new LongAdder();

        /** Makes the call and records how it ended; clears an interrupt the bulkhead restored. */
        void of(Callable<?> call) {
            try {
                call.call();
                succeeded.increment();
            } catch (BulkheadFullException e) {
                if (e.getMessage().contains("interrupted while waiting")) {
                    interrupted.increment();
                } else {
                    timedOut.increment();
                }
            } catch (Exception e) {
                failed.increment();
            } finally {
                Thread.interrupted();
            }
        }

        long rejected() {
            return timedOut.sum() + interrupted.sum();
        }
    }

    private static String endWith(boolean fail) throws IOException {
        if (fail) {
            throw new IOException("failed");
        }
        return "ok";
    }

    private static ConditionFactory soon() {
        return await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(30));
    }

    private static void awaitWaiting(Bulkhead bulkhead, int waiting) {
        soon().until(() -> bulkhead.metrics().waitingCalls() == waiting);
    }

    /**
     * Each round: {@link #LIMIT} holders (2 succeed, 2 fail), 2 waiters interrupted, 3 waiters timed out, and 3
     * waiters queued later that get the holders' permits (2 succeed, 1 fails): 7 permitted, 5 rejected.
     */
    @Test
    void permittedAndRejectedCallsAreExactAfterRoundsOfSuccessesFailuresTimeoutsAndInterrupts() throws Exception {
        ManualClock clock = new ManualClock();
        Bulkhead bulkhead = Bulkhead.of("exact", BulkheadConfig.builder().maxConcurrentCalls(LIMIT)
                .maxWaitDuration(Duration.ofMillis(100)).build(), clock);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        Outcomes outcomes = new Outcomes();
        int rounds = 30;
        try {
            for (int round = 0; round < rounds; round++) {
                CountDownLatch holding = new CountDownLatch(LIMIT);
                CountDownLatch finish = new CountDownLatch(1);
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < LIMIT; i++) {
                    boolean fail = i % 2 == 1;
                    calls.add(pool.submit(() -> outcomes.of(() -> bulkhead.call(() -> {
                        holding.countDown();
                        assertThat(finish.await(30, TimeUnit.SECONDS)).isTrue();
                        return endWith(fail);
                    }))));
                }
                assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();

                Queue<Thread> toInterrupt = new ConcurrentLinkedQueue<>();
                for (int i = 0; i < 2; i++) {
                    calls.add(pool.submit(() -> {
                        toInterrupt.add(Thread.currentThread());
                        outcomes.of(() -> bulkhead.call(() -> "never runs"));
                    }));
                }
                awaitWaiting(bulkhead, 2);
                for (int i = 0; i < 3; i++) {
                    calls.add(pool.submit(() -> outcomes.of(() -> bulkhead.call(() -> "never runs"))));
                }
                awaitWaiting(bulkhead, 5);
                toInterrupt.forEach(Thread::interrupt);
                awaitWaiting(bulkhead, 3);

                clock.advance(Duration.ofMillis(50));
                for (int i = 0; i < 3; i++) {
                    boolean fail = i == 2;
                    calls.add(pool.submit(() -> outcomes.of(() -> bulkhead.call(() -> endWith(fail)))));
                }
                awaitWaiting(bulkhead, 6);
                clock.advance(Duration.ofMillis(50)); // the first three waited 100 ms, the last three 50 ms
                awaitWaiting(bulkhead, 3);

                finish.countDown();
                for (Future<?> call : calls) {
                    call.get(30, TimeUnit.SECONDS);
                }
                assertThat(bulkhead.metrics().availableConcurrentCalls()).as("round %d", round).isEqualTo(LIMIT);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(outcomes.succeeded.sum()).isEqualTo(4L * rounds);
        assertThat(outcomes.failed.sum()).isEqualTo(3L * rounds);
        assertThat(outcomes.timedOut.sum()).isEqualTo(3L * rounds);
        assertThat(outcomes.interrupted.sum()).isEqualTo(2L * rounds);
        assertThat(bulkhead.metrics()).isEqualTo(new BulkheadMetrics(LIMIT, LIMIT, 0, 7L * rounds, 5L * rounds));
        assertThat(clock.pendingTasks()).isZero();
    }

    /** What a free-running race of waiters, timeouts and interrupts produced. */
    private record Race(Bulkhead bulkhead, Outcomes outcomes, long ran, long calls) {
    }

    /**
     * Many threads call a small waiting bulkhead while one thread keeps moving the clock (waiters time out) and
     * another keeps interrupting the callers (some as they wait, some as a permit is handed to them), and
     * {@code sample} is applied to the metrics by yet another thread all along. Each caller makes at least
     * {@code minimumCalls}, and goes on (up to a bound) until the run has seen both a timeout and an interrupt.
     */
    private static Race raceGrantsAgainstTimeoutsAndInterrupts(Consumer<BulkheadMetrics> sample) throws Exception {
        ManualClock clock = new ManualClock();
        Bulkhead bulkhead = Bulkhead.of("race", BulkheadConfig.builder().maxConcurrentCalls(2)
                .maxWaitDuration(Duration.ofMillis(100)).build(), clock);
        int workers = 12;
        int minimumCalls = 300;
        int maximumCalls = 20_000;
        Outcomes outcomes = new Outcomes();
        LongAdder ran = new LongAdder();
        LongAdder calls = new LongAdder();
        List<Thread> callers = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            callers.add(new Thread(() -> {
                for (int i = 0; i < maximumCalls
                        && (i < minimumCalls || outcomes.timedOut.sum() == 0 || outcomes.interrupted.sum() == 0); i++) {
                    boolean fail = i % 3 == 0;
                    calls.increment();
                    outcomes.of(() -> bulkhead.call(() -> {
                        ran.increment();
                        Thread.yield();
                        return endWith(fail);
                    }));
                }
            }, "race-caller-" + w));
        }
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch helpersRunning = new CountDownLatch(3);
        Thread ticker = new Thread(() -> {
            helpersRunning.countDown();
            while (!done.get()) {
                clock.advance(Duration.ofMillis(50)); // a waiter times out at the second tick after it queued
                Thread.yield();
            }
        }, "race-ticker");
        Thread interrupter = new Thread(() -> {
            helpersRunning.countDown();
            while (!done.get()) {
                callers.get(ThreadLocalRandom.current().nextInt(workers)).interrupt();
                Thread.yield();
            }
        }, "race-interrupter");
        Thread sampler = new Thread(() -> {
            helpersRunning.countDown();
            while (!done.get()) {
                sample.accept(bulkhead.metrics());
            }
        }, "race-sampler");

        List<Thread> helpers = List.of(ticker, interrupter, sampler);
        helpers.forEach(Thread::start);
        assertThat(helpersRunning.await(30, TimeUnit.SECONDS)).isTrue();
        callers.forEach(Thread::start);
        joinAll(callers);
        done.set(true);
        joinAll(helpers);
        return new Race(bulkhead, outcomes, ran.sum(), calls.sum());
    }

    private static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(thread.isAlive()).as("%s ended", thread.getName()).isFalse();
        }
    }

    @Test
    void permittedCallsAreExactlyTheCallsThatRanWhenTimeoutsAndInterruptsRaceTheGrants() throws Exception {
        Race race = raceGrantsAgainstTimeoutsAndInterrupts(metrics -> {
        });
        BulkheadMetrics metrics = race.bulkhead().metrics();
        Outcomes outcomes = race.outcomes();

        // The race really raced: some waits timed out and some were interrupted.
        assertThat(outcomes.timedOut.sum()).isPositive();
        assertThat(outcomes.interrupted.sum()).isPositive();
        assertThat(race.ran()).isEqualTo(outcomes.succeeded.sum() + outcomes.failed.sum());
        assertThat(race.ran() + outcomes.rejected()).isEqualTo(race.calls());
        assertThat(metrics).isEqualTo(new BulkheadMetrics(2, 2, 0, race.ran(), outcomes.rejected()));
    }

    @Test
    void permittedCallsNeverGoDownWhileSampledDuringGrantsTimeoutsAndInterrupts() throws Exception {
        long[] last = {0};
        List<String> decreases = new ArrayList<>();
        LongAdder samples = new LongAdder();
        Race race = raceGrantsAgainstTimeoutsAndInterrupts(metrics -> {
            samples.increment();
            if (metrics.permittedCalls() < last[0] && decreases.size() < 10) {
                decreases.add(last[0] + " then " + metrics.permittedCalls());
            }
            last[0] = metrics.permittedCalls();
        });

        assertThat(samples.sum()).isPositive();
        assertThat(decreases).isEmpty();
        assertThat(last[0]).isBetween(0L, race.ran());
        assertThat(race.bulkhead().metrics().permittedCalls()).isEqualTo(race.ran());
    }

    @Test
    void availableConcurrentCallsStaysWithinZeroAndTheLimitWhileSampledDuringAManyThreadRun() throws Exception {
        Bulkhead bulkhead = Bulkhead.of("sampled", BulkheadConfig.builder().maxConcurrentCalls(LIMIT)
                .maxWaitDuration(Duration.ZERO).build(), new ManualClock());
        int workers = 8;
        int callsPerWorker = 50_000;
        LongAdder rejected = new LongAdder();
        AtomicBoolean done = new AtomicBoolean();
        Set<Integer> seen = new HashSet<>();
        // The calls are far too short for a reader to catch one in flight by chance on every machine, so the first
        // admitted call of the first worker stays in until the reader has seen it; the others run meanwhile.
        CountDownLatch readerSawACallInFlight = new CountDownLatch(1);
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                int available = bulkhead.metrics().availableConcurrentCalls();
                seen.add(available);
                if (available < LIMIT) {
                    readerSawACallInFlight.countDown();
                }
            }
        }, "sampled-reader");
        AtomicBoolean heldUntilSeen = new AtomicBoolean();
        LongAdder calls = new LongAdder();
        List<Thread> callers = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            boolean holder = w == 0;
            callers.add(new Thread(() -> {
                boolean held = !holder;
                for (int i = 0; i < callsPerWorker || !held; i++) {
                    boolean hold = !held;
                    calls.increment();
                    try {
                        bulkhead.call(() -> hold && holdUntil(readerSawACallInFlight, heldUntilSeen));
                        held = true;
                    } catch (BulkheadFullException e) {
                        rejected.increment();
                    }
                }
            }, "sampled-caller-" + w));
        }

        sampler.start();
        callers.forEach(Thread::start);
        joinAll(callers);
        done.set(true);
        joinAll(List.of(sampler));

        assertThat(heldUntilSeen).as("the reader saw the held call in flight").isTrue();
        assertThat(seen).allSatisfy(available -> assertThat(available).isBetween(0, LIMIT));
        assertThat(calls.sum()).isGreaterThanOrEqualTo((long) workers * callsPerWorker);
        assertThat(bulkhead.metrics()).isEqualTo(new BulkheadMetrics(LIMIT, LIMIT, 0,
                calls.sum() - rejected.sum(), rejected.sum()));
    }

    /** Stays in the call until {@code seen} opens; records whether it did. */
    private static boolean holdUntil(CountDownLatch seen, AtomicBoolean heldUntilSeen) {
        try {
            heldUntilSeen.set(seen.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}

package dev.resilience.proof;

import dev.resilience.Resilience;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.core.ManualClock;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import dev.resilience.timeout.TimeoutExceededException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Bulkhead permits are never lost nor over-granted, whatever way a call ends, waits give up, or a timeout fires. */
class BulkheadPermitTest {

    static final int THREADS = 200;
    static final int ROUNDS = 1_000;
    static final int LIMIT = 10;

    /** An {@link Error} a call may end with. */
    static final class CallError extends Error {
        CallError() {
            super("the call ended with an Error");
        }
    }

    @Test
    void exactlyTheLimitIsAdmittedEachRoundAndEveryPermitComesBackHoweverCallsEnd() throws Exception {
        Bulkhead bulkhead = Bulkhead.of("rounds", BulkheadConfig.builder()
                .maxConcurrentCalls(LIMIT).maxWaitDuration(Duration.ZERO).build(), new ManualClock());
        AtomicInteger admitted = new AtomicInteger();
        AtomicReference<CountDownLatch> decided = new AtomicReference<>(new CountDownLatch(THREADS));
        List<String> wrongRounds = new ArrayList<>();
        AtomicInteger round = new AtomicInteger(-1);
        CyclicBarrier nextRound = new CyclicBarrier(THREADS, () -> {
            int finished = round.getAndIncrement();
            if (finished >= 0 && wrongRounds.size() < 10) {
                int a = admitted.get();
                int available = bulkhead.metrics().availableConcurrentCalls();
                if (a != LIMIT || available != LIMIT || bulkhead.metrics().waitingCalls() != 0) {
                    wrongRounds.add("round " + finished + ": admitted " + a + ", available after " + available);
                }
            }
            admitted.set(0);
            decided.set(new CountDownLatch(THREADS));
        });
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    for (int r = 0; r < ROUNDS; r++) {
                        nextRound.await(60, TimeUnit.SECONDS);
                        CountDownLatch allDecided = decided.get();
                        int exit = (thread + r) % 6;
                        try {
                            bulkhead.call(() -> {
                                admitted.incrementAndGet();
                                allDecided.countDown();
                                // Admitted calls stay in until every thread has been admitted or refused.
                                if (!allDecided.await(60, TimeUnit.SECONDS)) {
                                    throw new AssertionError("not every thread was decided");
                                }
                                return exitBy(exit);
                            });
                        } catch (BulkheadFullException refused) {
                            allDecided.countDown();
                        } catch (IOException | IllegalStateException | CallError | InterruptedException expected) {
                            // the call's own outcome
                        }
                        Thread.interrupted(); // clear the flag of an interrupted exit
                    }
                    nextRound.await(60, TimeUnit.SECONDS);
                } catch (Throwable e) {
                    unexpected.add(e);
                    nextRound.reset();
                }
            }, "bulkhead-round-" + t);
            threads.add(worker);
            worker.start();
        }
        for (Thread worker : threads) {
            worker.join(TimeUnit.SECONDS.toMillis(120));
            assertThat(worker.isAlive()).as("%s ended", worker.getName()).isFalse();
        }
        System.out.printf("BulkheadPermitTest: %d threads x %d rounds in %d ms%n",
                THREADS, ROUNDS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

        assertThat(unexpected).isEmpty();
        assertThat(wrongRounds).isEmpty();
        assertThat(round).hasValue(ROUNDS);
        assertThat(bulkhead.metrics().permittedCalls()).isEqualTo((long) LIMIT * ROUNDS);
        assertThat(bulkhead.metrics().rejectedCalls()).isEqualTo((long) (THREADS - LIMIT) * ROUNDS);
    }

    /** Polls often: the conditions here become true within microseconds, and this test waits on many of them. */
    private static org.awaitility.core.ConditionFactory soon() {
        return await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(30));
    }

    private static String exitBy(int exit) throws IOException, InterruptedException {
        switch (exit) {
            case 0:
                return "value";
            case 1:
                throw new IOException("checked");
            case 2:
                throw new IllegalStateException("runtime");
            case 3:
                throw new CallError();
            case 4:
                return null;
            default:
                Thread.currentThread().interrupt();
                throw new InterruptedException("interrupted");
        }
    }

    @Test
    void waitersThatTimeOutNeverSwallowALaterPermit() throws Exception {
        ManualClock clock = new ManualClock();
        Bulkhead bulkhead = Bulkhead.of("waiters", BulkheadConfig.builder()
                .maxConcurrentCalls(1).maxWaitDuration(Duration.ofMillis(100)).build(), clock);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 200; round++) {
                CountDownLatch holding = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                Future<String> holder = pool.submit(() -> bulkhead.call(() -> {
                    holding.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    return "held";
                }));
                assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
                List<Future<String>> waiters = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    waiters.add(pool.submit(() -> bulkhead.call(() -> "waited")));
                }
                soon().until(() -> bulkhead.metrics().waitingCalls() == 4);

                // The waiters' timeout and the holder's release race each other.
                CyclicBarrier race = new CyclicBarrier(2);
                Future<?> timer = pool.submit(() -> {
                    race.await(30, TimeUnit.SECONDS);
                    clock.advance(Duration.ofMillis(100));
                    return null;
                });
                race.await(30, TimeUnit.SECONDS);
                release.countDown();
                timer.get(30, TimeUnit.SECONDS);
                assertThat(holder.get(30, TimeUnit.SECONDS)).isEqualTo("held");
                for (Future<String> waiter : waiters) {
                    assertWaitedOrRejected(waiter);
                }

                assertSinglePermitBack(bulkhead, round);
                assertThat(bulkhead.call(() -> "next")).isEqualTo("next");
            }
        } finally {
            stop(pool);
        }
    }

    @Test
    void aWaiterInterruptedAsThePermitIsHandedToItGivesThePermitBack() throws Exception {
        Bulkhead bulkhead = Bulkhead.of("interrupted", BulkheadConfig.builder()
                .maxConcurrentCalls(1).maxWaitDuration(Duration.ofSeconds(30)).build(), new ManualClock());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 300; round++) {
                Queued queued = holdAndQueue(bulkhead, pool);

                // The release hands the permit to the waiter while the waiter is being interrupted.
                queued.release().countDown();
                queued.waiterThread().interrupt();
                assertThat(queued.holder().get(30, TimeUnit.SECONDS)).isEqualTo("held");
                assertWaitedOrRejected(queued.waiter());

                assertSinglePermitBack(bulkhead, round);
            }
        } finally {
            stop(pool);
        }
    }

    @Test
    void aWaiterInterruptedAsItTimesOutGivesBackNoPermitItNeverHad() throws Exception {
        ManualClock clock = new ManualClock();
        Bulkhead bulkhead = Bulkhead.of("interrupted-timeout", BulkheadConfig.builder()
                .maxConcurrentCalls(1).maxWaitDuration(Duration.ofMillis(100)).build(), clock);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 1_000; round++) {
                Queued queued = holdAndQueue(bulkhead, pool);

                // The waiter's timeout and its interrupt race each other; the permit stays with the holder.
                CyclicBarrier race = new CyclicBarrier(2);
                Future<?> timer = pool.submit(() -> {
                    race.await(30, TimeUnit.SECONDS);
                    clock.advance(Duration.ofMillis(100));
                    return null;
                });
                race.await(30, TimeUnit.SECONDS);
                queued.waiterThread().interrupt();
                timer.get(30, TimeUnit.SECONDS);
                assertThatThrownBy(() -> queued.waiter().get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(BulkheadFullException.class);
                assertThat(bulkhead.metrics().availableConcurrentCalls()).as("round %d", round).isZero();

                queued.release().countDown();
                assertThat(queued.holder().get(30, TimeUnit.SECONDS)).isEqualTo("held");
                assertSinglePermitBack(bulkhead, round);
            }
        } finally {
            stop(pool);
        }
    }

    @Test
    void asynchronousWaitersThatTimeOutNeverSwallowALaterPermit() throws Exception {
        ManualClock clock = new ManualClock();
        Bulkhead bulkhead = Bulkhead.of("async-waiters", BulkheadConfig.builder()
                .maxConcurrentCalls(1).maxWaitDuration(Duration.ofMillis(100)).build(), clock);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 300; round++) {
                CompletableFuture<String> held = new CompletableFuture<>();
                CompletionStage<String> holder = bulkhead.callAsync(() -> held);
                List<CompletableFuture<String>> waiters = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    waiters.add(bulkhead.callAsync(() -> CompletableFuture.completedFuture("waited")).toCompletableFuture());
                }

                // The waiters' timeout and the holder's completion race each other.
                CyclicBarrier race = new CyclicBarrier(2);
                Future<?> timer = pool.submit(() -> {
                    race.await(30, TimeUnit.SECONDS);
                    clock.advance(Duration.ofMillis(100));
                    return null;
                });
                race.await(30, TimeUnit.SECONDS);
                held.complete("held");
                timer.get(30, TimeUnit.SECONDS);
                assertThat(holder.toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo("held");
                for (CompletableFuture<String> waiter : waiters) {
                    assertWaitedOrRejected(waiter);
                }

                assertSinglePermitBack(bulkhead, round);
            }
        } finally {
            stop(pool);
        }
    }

    @Test
    void anAsynchronousCallCancelledByItsTimeoutGivesItsPermitBackOnlyOnceItsOwnStageHasEnded() {
        ManualClock clock = new ManualClock();
        Bulkhead bulkhead = Bulkhead.of("inner-async", BulkheadConfig.builder()
                .maxConcurrentCalls(1).maxWaitDuration(Duration.ZERO).build(), clock);
        Timeout timeout = Timeout.of("outer-async", TimeoutConfig.builder()
                .timeoutDuration(Duration.ofSeconds(1)).cancelRunningFuture(true).build(), clock);
        Resilience.Composition composition = Resilience.compose(timeout, bulkhead);
        CompletableFuture<String> work = new CompletableFuture<>();

        CompletableFuture<String> timedOut = composition.callAsync(() -> work).toCompletableFuture();
        clock.advance(Duration.ofSeconds(1));

        assertThatThrownBy(timedOut::join).hasCauseInstanceOf(TimeoutExceededException.class);
        // Either the call's own stage was abandoned (completed with the timeout, as the bulkhead passes it on) and the
        // permit is back, or it still runs and holds the permit: never a free permit while the call's stage is pending.
        assertThatThrownBy(work::join).hasCauseInstanceOf(TimeoutExceededException.class);
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void anAsynchronousCallLeftRunningByItsTimeoutKeepsItsPermitUntilItsStageEnds() {
        ManualClock clock = new ManualClock();
        Bulkhead bulkhead = Bulkhead.of("inner-running", BulkheadConfig.builder()
                .maxConcurrentCalls(1).maxWaitDuration(Duration.ZERO).build(), clock);
        Timeout timeout = Timeout.of("outer-running", TimeoutConfig.builder()
                .timeoutDuration(Duration.ofSeconds(1)).cancelRunningFuture(false).build(), clock);
        Resilience.Composition composition = Resilience.compose(timeout, bulkhead);
        CompletableFuture<String> work = new CompletableFuture<>();

        CompletableFuture<String> timedOut = composition.callAsync(() -> work).toCompletableFuture();
        clock.advance(Duration.ofSeconds(1));

        assertThatThrownBy(timedOut::join).hasCauseInstanceOf(TimeoutExceededException.class);
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isZero();
        assertThatThrownBy(() -> composition.callAsync(() -> CompletableFuture.completedFuture("second")).toCompletableFuture().join())
                .hasCauseInstanceOf(BulkheadFullException.class);
        work.complete("finished late");
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void aTimedOutCallKeepsItsBulkheadPermitUntilTheMethodReallyEnds() throws Exception {
        ManualClock clock = new ManualClock();
        Bulkhead bulkhead = Bulkhead.of("inner", BulkheadConfig.builder()
                .maxConcurrentCalls(1).maxWaitDuration(Duration.ZERO).build(), clock);
        Timeout timeout = Timeout.of("outer", TimeoutConfig.builder()
                .timeoutDuration(Duration.ofSeconds(1)).cancelRunningFuture(true).build(), clock);
        Resilience.Composition composition = Resilience.compose(timeout, bulkhead);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger interruptsIgnored = new AtomicInteger();
        ExecutorService callers = Executors.newSingleThreadExecutor();
        try {
            Future<String> slow = callers.submit(() -> composition.call(() -> {
                running.countDown();
                // A method that ignores interruption and keeps running after its time is up.
                while (true) {
                    try {
                        if (finish.await(30, TimeUnit.SECONDS)) {
                            return "finished late";
                        }
                    } catch (InterruptedException e) {
                        interruptsIgnored.incrementAndGet();
                    }
                }
            }));
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
            clock.advance(Duration.ofSeconds(1));
            soon().until(() -> interruptsIgnored.get() == 1);

            assertThat(bulkhead.metrics().availableConcurrentCalls()).isZero();
            assertThatThrownBy(() -> composition.call(() -> "second")).isInstanceOf(BulkheadFullException.class);

            finish.countDown();
            // The call runs on its caller's thread: the caller learns of the timeout once the method has ended.
            assertThatThrownBy(() -> slow.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutExceededException.class);
            assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
            assertThat(composition.call(() -> "third")).isEqualTo("third");
        } finally {
            callers.shutdownNow();
            assertThat(callers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** A waiter either got the permit and ran, or was turned away; nothing else. */
    /** A call holding a one-permit bulkhead until released, and a second call queued behind it on its own thread. */
    private record Queued(Future<String> holder, CountDownLatch release, Future<String> waiter, Thread waiterThread) {
    }

    private static Queued holdAndQueue(Bulkhead bulkhead, ExecutorService pool) throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> holder = pool.submit(() -> bulkhead.call(() -> {
            holding.countDown();
            release.await(30, TimeUnit.SECONDS);
            return "held";
        }));
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
        AtomicReference<Thread> waiterThread = new AtomicReference<>();
        Future<String> waiter = pool.submit(() -> {
            waiterThread.set(Thread.currentThread());
            return bulkhead.call(() -> "waited");
        });
        soon().until(() -> bulkhead.metrics().waitingCalls() == 1);
        return new Queued(holder, release, waiter, waiterThread.get());
    }

    private static void assertWaitedOrRejected(Future<String> waiter) throws Exception {
        try {
            assertThat(waiter.get(30, TimeUnit.SECONDS)).isEqualTo("waited");
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(BulkheadFullException.class);
        }
    }

    /** After a round, the bulkhead's only permit is free again and nobody is left waiting. */
    private static void assertSinglePermitBack(Bulkhead bulkhead, int round) {
        assertThat(bulkhead.metrics().availableConcurrentCalls()).as("round %d", round).isEqualTo(1);
        assertThat(bulkhead.metrics().waitingCalls()).isZero();
    }

    private static void stop(ExecutorService pool) throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
}

package dev.resilience.bulkhead;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.ManualClock;
import dev.resilience.core.Together;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ThreadPoolBulkhead#reconfigure}: new pool sizes and queue capacity apply in place; every call accepted runs
 * exactly once, whatever the change.
 */
class ThreadPoolBulkheadReconfigurationTest {

    private final ManualClock clock = new ManualClock();
    private final List<ThreadPoolBulkhead> created = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void shutDownEverything() throws InterruptedException {
        release.countDown();
        for (ThreadPoolBulkhead bulkhead : created) {
            bulkhead.shutdownNow();
            assertThat(bulkhead.awaitTermination(Duration.ofSeconds(10))).isTrue();
        }
    }

    private static ThreadPoolBulkheadConfig pool(int core, int max, int queue) {
        return ThreadPoolBulkheadConfig.builder().coreThreadPoolSize(core).maxThreadPoolSize(max).queueCapacity(queue)
                .keepAliveDuration(Duration.ofMillis(1)).build();
    }

    private ThreadPoolBulkhead bulkhead(ThreadPoolBulkheadConfig config) {
        ThreadPoolBulkhead bulkhead = ThreadPoolBulkhead.of("pool", config, clock);
        created.add(bulkhead);
        return bulkhead;
    }

    /** A call that counts its runs and holds its thread until {@link #release} opens. */
    private CompletableFuture<String> held(ThreadPoolBulkhead bulkhead, AtomicInteger runs, CountDownLatch running) {
        return bulkhead.<String>callAsync(() -> {
            runs.incrementAndGet();
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                return CompletableFuture.failedFuture(e);
            }
            return CompletableFuture.completedFuture("ran");
        }).toCompletableFuture();
    }

    private static boolean rejected(CompletableFuture<?> call) {
        return call.isCompletedExceptionally()
                && call.handle((v, failure) -> failure instanceof BulkheadFullException).join();
    }

    private static void awaitIdle(ThreadPoolBulkhead bulkhead, int queueCapacity) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ThreadPoolBulkheadMetrics metrics = bulkhead.metrics();
            assertThat(metrics.activeThreads()).as("threads running a call").isZero();
            assertThat(metrics.queueDepth()).as("calls queued").isZero();
            assertThat(metrics.remainingQueueCapacity()).as("queue room").isEqualTo(queueCapacity);
        });
    }

    @Test
    void aCutLetsTheRunningAndQueuedCallsFinishAndRejectsNewOnesUntilTheQueueIsBelowTheNewCapacity() throws Exception {
        ThreadPoolBulkhead bulkhead = bulkhead(pool(2, 2, 4));
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch twoRunning = new CountDownLatch(2);
        List<CompletableFuture<String>> accepted = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            accepted.add(held(bulkhead, runs, twoRunning));
        }
        assertThat(twoRunning.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(rejected(held(bulkhead, runs, new CountDownLatch(1)))).as("7th call, pool and queue full").isTrue();

        bulkhead.reconfigure(pool(1, 1, 1));

        ThreadPoolBulkheadMetrics cut = bulkhead.metrics();
        assertThat(cut.maxThreadPoolSize()).isEqualTo(1);
        assertThat(cut.queueCapacity()).isEqualTo(1);
        assertThat(cut.queueDepth()).as("queued calls are kept").isEqualTo(4);
        assertThat(cut.remainingQueueCapacity()).isZero();
        assertThat(rejected(held(bulkhead, runs, new CountDownLatch(1)))).as("4 queued, capacity 1").isTrue();
        assertThat(runs).as("only the two running calls have run").hasValue(2);

        release.countDown();
        CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertThat(accepted).allMatch(call -> "ran".equals(call.join()));
        assertThat(runs).as("each accepted call ran once, no rejected one ran").hasValue(6);
        awaitIdle(bulkhead, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> bulkhead.metrics().threadPoolSize() <= 1);
        assertThat(bulkhead.metrics().permittedCalls()).isEqualTo(6);
        assertThat(bulkhead.metrics().rejectedCalls()).isEqualTo(2);
    }

    @Test
    void theNewBoundsHoldOnceTheCallsOfTheOldOnesHaveFinished() throws Exception {
        ThreadPoolBulkhead bulkhead = bulkhead(pool(3, 3, 5));
        bulkhead.reconfigure(pool(1, 1, 1));

        AtomicInteger runs = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<String> first = held(bulkhead, runs, running);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> queued = held(bulkhead, runs, new CountDownLatch(1));

        assertThat(rejected(held(bulkhead, runs, new CountDownLatch(1)))).as("1 thread busy, queue of 1 full").isTrue();
        release.countDown();
        assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo("ran");
        assertThat(queued.get(20, TimeUnit.SECONDS)).isEqualTo("ran");
        assertThat(runs).hasValue(2);
    }

    @Test
    void aRaiseStartsThreadsForTheQueuedCallsAndAdmitsUpToTheNewBounds() throws Exception {
        ThreadPoolBulkhead bulkhead = bulkhead(pool(1, 1, 1));
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch firstRunning = new CountDownLatch(1);
        CompletableFuture<String> first = held(bulkhead, runs, firstRunning);
        assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch queuedRunning = new CountDownLatch(1);
        CompletableFuture<String> queued = held(bulkhead, runs, queuedRunning);
        assertThat(rejected(held(bulkhead, runs, new CountDownLatch(1)))).isTrue();

        bulkhead.reconfigure(pool(3, 3, 2));

        assertThat(queuedRunning.await(10, TimeUnit.SECONDS)).as("the queued call got a new thread").isTrue();
        CountDownLatch thirdRunning = new CountDownLatch(1);
        List<CompletableFuture<String>> accepted = new ArrayList<>(List.of(first, queued, held(bulkhead, runs, thirdRunning)));
        assertThat(thirdRunning.await(10, TimeUnit.SECONDS)).isTrue();
        accepted.add(held(bulkhead, runs, new CountDownLatch(1)));
        accepted.add(held(bulkhead, runs, new CountDownLatch(1)));
        assertThat(accepted).noneMatch(CompletableFuture::isDone);
        assertThat(bulkhead.metrics().queueDepth()).isEqualTo(2);
        assertThat(rejected(held(bulkhead, runs, new CountDownLatch(1)))).as("3 threads busy, queue of 2 full").isTrue();

        release.countDown();
        CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertThat(runs).hasValue(5);
        awaitIdle(bulkhead, 2);
    }

    @Test
    void aQueueCutToZeroHandsCallsToIdleThreadsOnly() throws Exception {
        ThreadPoolBulkhead bulkhead = bulkhead(pool(1, 1, 3));
        bulkhead.reconfigure(pool(1, 1, 0));
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<String> first = held(bulkhead, runs, running);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(rejected(held(bulkhead, runs, new CountDownLatch(1)))).as("the thread is busy, no queue").isTrue();
        assertThat(bulkhead.metrics().queueDepth()).isZero();

        release.countDown();
        assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo("ran");
        // The thread, idle again, takes the next call handed to it (once it is back waiting for work).
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            CompletableFuture<String> call = bulkhead.<String>callAsync(() -> CompletableFuture.completedFuture("next"))
                    .toCompletableFuture();
            return !rejected(call) && "next".equals(call.get(20, TimeUnit.SECONDS));
        });
        assertThat(runs).hasValue(1);
    }

    @Test
    void publishesConfigChangedWithTheSettingsBeforeAndAfter() {
        ThreadPoolBulkhead bulkhead = bulkhead(pool(1, 2, 3));
        List<ThreadPoolBulkheadEvent> events = new ArrayList<>();
        bulkhead.events().subscribe(events::add);

        bulkhead.reconfigure(pool(2, 4, 6));

        assertThat(bulkhead.config().toString()).isEqualTo(pool(2, 4, 6).toString());
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.eventType()).isEqualTo(ThreadPoolBulkheadEvent.Type.CONFIG_CHANGED);
            assertThat(event.details()).containsEntry("from", pool(1, 2, 3).toString())
                    .containsEntry("to", pool(2, 4, 6).toString());
        });
        ThreadPoolBulkheadMetrics metrics = bulkhead.metrics();
        assertThat(metrics.coreThreadPoolSize()).isEqualTo(2);
        assertThat(metrics.maxThreadPoolSize()).isEqualTo(4);
        assertThat(metrics.queueCapacity()).isEqualTo(6);
        assertThat(metrics.remainingQueueCapacity()).isEqualTo(6);
    }

    @Test
    void aCoreSizeAboveTheOldMaximumAndAMaximumBelowTheOldCoreSizeBothApply() {
        ThreadPoolBulkhead bulkhead = bulkhead(pool(2, 2, 1));

        bulkhead.reconfigure(pool(5, 6, 1));
        assertThat(bulkhead.metrics().coreThreadPoolSize()).isEqualTo(5);
        assertThat(bulkhead.metrics().maxThreadPoolSize()).isEqualTo(6);

        bulkhead.reconfigure(pool(1, 1, 1));
        assertThat(bulkhead.metrics().coreThreadPoolSize()).isEqualTo(1);
        assertThat(bulkhead.metrics().maxThreadPoolSize()).isEqualTo(1);
    }

    @Test
    void aChangeOfVirtualThreadsIsRefusedAndChangesNothing() {
        assumeThat(Runtime.version().feature()).as("virtual threads need Java 21").isGreaterThanOrEqualTo(21);
        ThreadPoolBulkhead bulkhead = bulkhead(pool(1, 1, 1));
        List<ThreadPoolBulkheadEvent> events = new ArrayList<>();
        bulkhead.events().subscribe(events::add);
        ThreadPoolBulkheadConfig virtual = pool(4, 4, 4).toBuilder().virtualThreads(true).build();

        assertThatThrownBy(() -> bulkhead.reconfigure(virtual)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("virtualThreads").hasMessageContaining("cannot change at run time");

        assertThat(bulkhead.config().toString()).isEqualTo(pool(1, 1, 1).toString());
        assertThat(bulkhead.metrics().maxThreadPoolSize()).isEqualTo(1);
        assertThat(bulkhead.metrics().queueCapacity()).isEqualTo(1);
        assertThat(events).isEmpty();
    }

    @Test
    void underLoadAcrossChangesEveryAcceptedCallRunsExactlyOnceAndEveryRejectedOneNever() throws Exception {
        ThreadPoolBulkhead bulkhead = bulkhead(pool(2, 2, 2));
        List<ThreadPoolBulkheadConfig> configs = List.of(pool(1, 1, 0), pool(4, 4, 8), pool(2, 3, 1), pool(1, 2, 3),
                pool(3, 3, 0), pool(2, 2, 2));
        int submitters = 6;
        int callsEach = 400;
        AtomicIntegerArray runs = new AtomicIntegerArray(submitters * callsEach);
        List<List<CompletableFuture<Object>>> calls = new ArrayList<>();
        for (int t = 0; t < submitters; t++) {
            calls.add(new ArrayList<>());
        }
        AtomicBoolean submitting = new AtomicBoolean(true);
        AtomicInteger submittersDone = new AtomicInteger();
        LongAdder changes = new LongAdder();

        Together.run(submitters + 1, me -> {
            if (me == submitters) {
                // Changes the settings again and again while the calls come.
                for (int i = 0; submitting.get(); i++) {
                    bulkhead.reconfigure(configs.get(i % configs.size()));
                    changes.increment();
                    Thread.onSpinWait();
                }
                return;
            }
            for (int i = 0; i < callsEach; i++) {
                int id = me * callsEach + i;
                calls.get(me).add(bulkhead.<Object>callAsync(() -> {
                    runs.incrementAndGet(id);
                    return CompletableFuture.<Object>completedFuture(id);
                }).toCompletableFuture());
            }
            if (submittersDone.incrementAndGet() == submitters) {
                submitting.set(false);
            }
        });
        ThreadPoolBulkheadConfig last = configs.get(configs.size() - 1);
        bulkhead.reconfigure(last);

        long accepted = 0;
        long refused = 0;
        for (int t = 0; t < submitters; t++) {
            for (int i = 0; i < callsEach; i++) {
                int id = t * callsEach + i;
                CompletableFuture<Object> call = calls.get(t).get(i);
                try {
                    assertThat(call.get(20, TimeUnit.SECONDS)).isEqualTo(id);
                    accepted++;
                    assertThat(runs.get(id)).as("runs of accepted call " + id).isEqualTo(1);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(BulkheadFullException.class);
                    refused++;
                    assertThat(runs.get(id)).as("runs of rejected call " + id).isZero();
                }
            }
        }
        assertThat(changes.sum()).as("changes made during the calls").isPositive();
        assertThat(accepted + refused).isEqualTo((long) submitters * callsEach);
        assertThat(accepted).isPositive();
        ThreadPoolBulkheadMetrics metrics = bulkhead.metrics();
        assertThat(metrics.permittedCalls()).isEqualTo(accepted);
        assertThat(metrics.rejectedCalls()).isEqualTo(refused);
        awaitIdle(bulkhead, last.queueCapacity());
        await().atMost(Duration.ofSeconds(20)).until(() -> bulkhead.metrics().threadPoolSize() <= last.maxThreadPoolSize());

        // No queue slot leaked or doubled across the changes: exactly 2 threads and 2 queue slots now.
        AtomicInteger heldRuns = new AtomicInteger();
        CountDownLatch twoRunning = new CountDownLatch(2);
        List<CompletableFuture<String>> full = new ArrayList<>();
        full.add(held(bulkhead, heldRuns, twoRunning));
        full.add(held(bulkhead, heldRuns, twoRunning));
        assertThat(twoRunning.await(10, TimeUnit.SECONDS)).isTrue();
        full.add(held(bulkhead, heldRuns, new CountDownLatch(1)));
        full.add(held(bulkhead, heldRuns, new CountDownLatch(1)));
        assertThat(bulkhead.metrics().queueDepth()).isEqualTo(2);
        assertThat(full).noneMatch(CompletableFuture::isCompletedExceptionally);
        assertThat(rejected(held(bulkhead, heldRuns, new CountDownLatch(1)))).isTrue();
        release.countDown();
        CompletableFuture.allOf(full.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertThat(heldRuns).hasValue(4);
    }
}

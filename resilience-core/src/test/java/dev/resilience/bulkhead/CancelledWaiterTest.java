package dev.resilience.bulkhead;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An asynchronous call cancelled while it waits (for a semaphore permit, or in a thread pool's queue) gives up its
 * place at once and never takes a permit or a thread; one cancelled after it was granted releases it exactly once.
 */
class CancelledWaiterTest {

    @Test
    void manyThreadsCancellingQueuedSemaphoreWaitersLeaveEveryPermitFreeAndCountOnlyCallsThatRan() throws Exception {
        ManualClock clock = new ManualClock(); // never advanced: no waiter times out, each ends by grant or cancel
        Bulkhead bulkhead = Bulkhead.of("cancelled", BulkheadConfig.builder().maxConcurrentCalls(2)
                .maxWaitDuration(Duration.ofHours(1)).build(), clock);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger completedNormally = new AtomicInteger();

        Rounds.run(8, 50, thread -> {
            List<CompletableFuture<String>> mine = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                CompletableFuture<String> running = new CompletableFuture<>();
                CompletableFuture<String> result = bulkhead.<String>callAsync(() -> {
                    started.incrementAndGet();
                    return running;
                }).toCompletableFuture();
                if (i % 3 == 0) {
                    result.cancel(true); // queued or running: either way its permit must come back exactly once
                } else {
                    mine.add(result);
                }
                running.complete("done");
            }
            for (CompletableFuture<String> result : mine) {
                if ("done".equals(result.get(30, TimeUnit.SECONDS))) {
                    completedNormally.incrementAndGet();
                }
            }
        }, () -> {
            BulkheadMetrics metrics = bulkhead.metrics();
            assertThat(metrics.availableConcurrentCalls()).isEqualTo(2);
            assertThat(metrics.waitingCalls()).isZero();
            assertThat(metrics.permittedCalls()).isEqualTo(started.get());
        });

        assertThat(completedNormally.get()).isEqualTo(8 * 50 * 26);
        assertThat(started.get()).isBetween(completedNormally.get(), 8 * 50 * 40);
        assertThat(clock.pendingTasks()).isZero(); // every waiter's timer was cancelled
    }

    @Test
    void callsCancelledInAThreadPoolsQueueFreeTheirSlotsAtOnceAndNeverRun() throws Exception {
        ThreadPoolBulkhead bulkhead = ThreadPoolBulkhead.of("queue", ThreadPoolBulkheadConfig.builder()
                .coreThreadPoolSize(1).maxThreadPoolSize(1).queueCapacity(8).build(), new ManualClock());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        bulkhead.callAsync(() -> {
            blocking.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CompletableFuture.completedFuture("blocker");
        });
        assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        try {
            // 8 threads, each with at most one call queued at a time, 8 slots: no call may find the queue full.
            Rounds.run(8, 20, thread -> {
                for (int i = 0; i < 50; i++) {
                    CompletableFuture<String> queued = bulkhead.<String>callAsync(() -> {
                        ran.incrementAndGet();
                        return CompletableFuture.completedFuture("ran");
                    }).toCompletableFuture();
                    if (queued.isCompletedExceptionally() && !queued.isCancelled()) {
                        rejected.incrementAndGet();
                    }
                    assertThat(queued.cancel(true)).isTrue();
                }
            }, () -> assertThat(bulkhead.metrics().queueDepth()).isZero());
            assertThat(rejected).hasValue(0);
            assertThat(bulkhead.metrics().permittedCalls()).isEqualTo(1 + 8 * 20 * 50);
        } finally {
            release.countDown();
            bulkhead.shutdown();
            assertThat(bulkhead.awaitTermination(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(ran).hasValue(0);
    }
}

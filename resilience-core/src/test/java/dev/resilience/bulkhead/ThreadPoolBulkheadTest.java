package dev.resilience.bulkhead;

import dev.resilience.ShutdownInProgressException;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ThreadPoolBulkheadTest {

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

    private ThreadPoolBulkhead bulkhead(String name, int threads, int queue) {
        return bulkhead(name, threads, queue, UnaryOperator.identity());
    }

    private ThreadPoolBulkhead bulkhead(String name, int threads, int queue, UnaryOperator<Runnable> decorator) {
        ThreadPoolBulkhead bulkhead = ThreadPoolBulkhead.of(name, ThreadPoolBulkheadConfig.builder()
                .coreThreadPoolSize(threads).maxThreadPoolSize(threads).queueCapacity(queue).build(), clock, decorator);
        created.add(bulkhead);
        return bulkhead;
    }

    /** Occupies one pool thread until {@link #release} opens; returns once it runs. */
    private CompletionStage<String> block(ThreadPoolBulkhead bulkhead) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CompletionStage<String> stage = bulkhead.callAsync(() -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                return CompletableFuture.failedFuture(e);
            }
            return CompletableFuture.completedFuture("blocked");
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        return stage;
    }

    private static CompletionStage<String> supply(String value) {
        return CompletableFuture.completedFuture(value);
    }

    @Test
    void runsAsyncCallsOnNamedDaemonPoolThreads() {
        ThreadPoolBulkhead bulkhead = bulkhead("orders", 1, 1);
        AtomicReference<Thread> ranOn = new AtomicReference<>();

        String value = bulkhead.<String>callAsync(() -> {
            ranOn.set(Thread.currentThread());
            return supply("ok");
        }).toCompletableFuture().join();

        assertThat(value).isEqualTo("ok");
        assertThat(ranOn.get().getName()).isEqualTo("resilience-orders-1");
        assertThat(ranOn.get().isDaemon()).isTrue();
        assertThat(bulkhead.kind()).isEqualTo("thread-pool-bulkhead");
        assertThat(bulkhead.name()).isEqualTo("orders");
    }

    @Test
    void completesWithTheFailureOfTheSuppliedStage() {
        ThreadPoolBulkhead bulkhead = bulkhead("orders", 1, 1);
        IOException failure = new IOException("down");
        CompletionStage<String> result = bulkhead.callAsync(() -> CompletableFuture.failedFuture(failure));
        assertThatThrownBy(() -> result.toCompletableFuture().join()).hasCause(failure);
    }

    @Test
    void failsTheStageWhenTheSupplierThrowsOrReturnsNull() {
        ThreadPoolBulkhead bulkhead = bulkhead("orders", 1, 1);
        IllegalStateException failure = new IllegalStateException("no stage");
        CompletionStage<String> thrown = bulkhead.callAsync(() -> {
            throw failure;
        });
        CompletionStage<String> nullStage = bulkhead.callAsync(() -> null);
        assertThatThrownBy(() -> thrown.toCompletableFuture().join()).hasCause(failure);
        assertThatThrownBy(() -> nullStage.toCompletableFuture().join()).hasCauseInstanceOf(NullPointerException.class);
    }

    @Test
    void aFullQueueFailsTheStageWithBulkheadFullException() throws Exception {
        ThreadPoolBulkhead bulkhead = bulkhead("orders", 1, 1);
        block(bulkhead);
        CompletionStage<String> queued = bulkhead.callAsync(() -> supply("queued"));
        AtomicBoolean ran = new AtomicBoolean();

        CompletionStage<String> rejected = bulkhead.callAsync(() -> {
            ran.set(true);
            return supply("rejected");
        });

        assertThat(rejected.toCompletableFuture()).isCompletedExceptionally();
        assertThatThrownBy(() -> rejected.toCompletableFuture().join())
                .hasCauseInstanceOf(BulkheadFullException.class)
                .cause().hasMessageContaining("'orders'").hasMessageContaining("queue of 1 is full");
        assertThat(bulkhead.metrics()).isEqualTo(new ThreadPoolBulkheadMetrics(1, 1, 1, 1, 1, 1, 0, 2, 1));
        release.countDown();
        assertThat(queued.toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("queued");
        assertThat(ran).isFalse();
    }

    @Test
    void aFullPoolRejectsASynchronousCallWithBulkheadFullException() throws Exception {
        ThreadPoolBulkhead bulkhead = bulkhead("orders", 1, 0);
        block(bulkhead);
        assertThatThrownBy(() -> bulkhead.call(() -> "never")).isInstanceOf(BulkheadFullException.class);
    }

    @Test
    void runsASynchronousCallOnThePoolAndReturnsItsValue() {
        ThreadPoolBulkhead bulkhead = bulkhead("orders", 1, 1);
        assertThat(bulkhead.call(() -> Thread.currentThread().getName())).isEqualTo("resilience-orders-1");
    }

    @Test
    void passesACheckedExceptionOfASynchronousCallThroughUnchanged() {
        ThreadPoolBulkhead bulkhead = bulkhead("orders", 1, 1);
        IOException failure = new IOException("down");
        assertThatThrownBy(() -> bulkhead.call(() -> {
            throw failure;
        })).isSameAs(failure);
    }

    @Test
    void anInterruptedSynchronousCallerInterruptsTheCallAndRestoresItsFlag() throws Exception {
        ThreadPoolBulkhead bulkhead = bulkhead("orders", 1, 1);
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean callInterrupted = new AtomicBoolean();
        CountDownLatch callEnded = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagAfter = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                bulkhead.call(() -> {
                    running.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        callInterrupted.set(true);
                    } finally {
                        callEnded.countDown();
                    }
                    return null;
                });
            } catch (Throwable t) {
                thrown.set(t);
            }
            flagAfter.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        caller.interrupt();
        caller.join(10_000);

        assertThat(thrown.get()).isInstanceOf(CancellationException.class).hasCauseInstanceOf(InterruptedException.class);
        assertThat(flagAfter).isTrue();
        assertThat(callEnded.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(callInterrupted).isTrue();
    }

    @Test
    void shutdownRefusesNewCallsAndRunsEveryQueuedCall() throws Exception {
        ThreadPoolBulkhead bulkhead = bulkhead("orders", 1, 10);
        CompletionStage<String> running = block(bulkhead);
        List<CompletableFuture<String>> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String value = "q" + i;
            queued.add(bulkhead.<String>callAsync(() -> supply(value)).toCompletableFuture());
        }

        bulkhead.shutdown();

        assertThat(bulkhead.isShutdown()).isTrue();
        assertThatThrownBy(() -> bulkhead.callAsync(() -> supply("late")).toCompletableFuture().join())
                .hasCauseInstanceOf(ShutdownInProgressException.class);
        assertThatThrownBy(() -> bulkhead.call(() -> "late")).isInstanceOf(ShutdownInProgressException.class);
        release.countDown();
        assertThat(bulkhead.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(running.toCompletableFuture().join()).isEqualTo("blocked");
        for (int i = 0; i < 10; i++) {
            assertThat(queued.get(i)).isCompletedWithValue("q" + i);
        }
    }

    @Test
    void shutdownNowFailsEveryQueuedCallAndInterruptsTheRunningOne() throws Exception {
        ThreadPoolBulkhead bulkhead = bulkhead("orders", 1, 10);
        CompletionStage<String> running = block(bulkhead);
        AtomicInteger ran = new AtomicInteger();
        List<CompletableFuture<String>> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            queued.add(bulkhead.<String>callAsync(() -> {
                ran.incrementAndGet();
                return supply("never");
            }).toCompletableFuture());
        }

        bulkhead.shutdownNow();

        assertThat(bulkhead.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThatThrownBy(() -> running.toCompletableFuture().join()).hasCauseInstanceOf(InterruptedException.class);
        for (CompletableFuture<String> future : queued) {
            assertThat(future).isCompletedExceptionally();
            assertThatThrownBy(future::join).hasCauseInstanceOf(ShutdownInProgressException.class);
        }
        assertThat(ran).hasValue(0);
    }

    @Test
    void shutdownNowFailsAQueuedSynchronousCall() throws Exception {
        ThreadPoolBulkhead bulkhead = bulkhead("orders", 1, 1);
        block(bulkhead);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                bulkhead.call(() -> "never");
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        caller.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().queueDepth() == 1);

        bulkhead.shutdownNow();
        caller.join(10_000);

        assertThat(thrown.get()).isInstanceOf(ShutdownInProgressException.class);
    }

    @Test
    void appliesTheTaskDecoratorToEveryTask() {
        ThreadLocal<String> context = new ThreadLocal<>();
        AtomicInteger decorated = new AtomicInteger();
        context.set("request-42");
        UnaryOperator<Runnable> propagate = task -> {
            decorated.incrementAndGet();
            String captured = context.get(); // on the submitting thread
            return () -> {
                context.set(captured);
                try {
                    task.run();
                } finally {
                    context.remove();
                }
            };
        };
        ThreadPoolBulkhead bulkhead = bulkhead("orders", 1, 1, propagate);

        String async = bulkhead.<String>callAsync(() -> supply(context.get())).toCompletableFuture().join();
        String sync = bulkhead.call(context::get);

        assertThat(async).isEqualTo("request-42");
        assertThat(sync).isEqualTo("request-42");
        assertThat(decorated).hasValue(2);
        context.remove();
    }

    @Test
    void publishesPermittedRejectedAndFinishedEvents() throws Exception {
        ThreadPoolBulkhead bulkhead = bulkhead("orders", 1, 0);
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        bulkhead.events().subscribe(e -> events.add(e.kind() + ":" + e.name() + ":" + e.type()));
        CompletionStage<String> blocked = block(bulkhead);
        bulkhead.callAsync(() -> supply("rejected"));
        release.countDown();
        blocked.toCompletableFuture().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 3);

        assertThat(events).containsExactly("thread-pool-bulkhead:orders:CALL_PERMITTED",
                "thread-pool-bulkhead:orders:CALL_REJECTED", "thread-pool-bulkhead:orders:CALL_FINISHED");
    }

    @Test
    void repeatedCreateAndShutdownLeavesNoThreadBehind() throws Exception {
        String prefix = "resilience-cycle-";
        for (int cycle = 0; cycle < 20; cycle++) {
            ThreadPoolBulkhead bulkhead = ThreadPoolBulkhead.of("cycle-" + cycle, ThreadPoolBulkheadConfig.builder()
                    .coreThreadPoolSize(2).maxThreadPoolSize(3).queueCapacity(4).build(), clock);
            List<CompletableFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int n = i;
                futures.add(bulkhead.<Integer>callAsync(() -> CompletableFuture.completedFuture(n)).toCompletableFuture());
            }
            bulkhead.shutdown();
            assertThat(bulkhead.awaitTermination(Duration.ofSeconds(10))).isTrue();
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i)).isCompletedWithValue(i);
            }
        }
        // A worker counts as gone before its thread has quite ended: give it a moment.
        await().atMost(Duration.ofSeconds(10)).until(() -> liveThreadsNamed(prefix).isEmpty());
        assertThat(liveThreadsNamed(prefix)).isEmpty();
    }

    private static Set<String> liveThreadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive).map(Thread::getName).filter(n -> n.startsWith(prefix))
                .collect(Collectors.toSet());
    }
}

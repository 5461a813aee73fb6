package dev.resilience.bulkhead;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A task decorator (context propagation, say) whose wrapper throws on the pool thread before the task runs: the
 * call's future completes exceptionally with that exception, and its thread or queue slot comes back.
 */
class ThreadPoolBulkheadFailingDecoratorTest {

    private final IllegalStateException contextLost = new IllegalStateException("the context could not be restored");
    private final AtomicInteger taskRuns = new AtomicInteger();
    /** Wraps each task in a runnable that throws instead of running it. */
    private final UnaryOperator<Runnable> failing = task -> () -> {
        throw contextLost;
    };
    private final ThreadPoolBulkhead bulkhead = ThreadPoolBulkhead.of("decorated", ThreadPoolBulkheadConfig.builder()
            .coreThreadPoolSize(2).maxThreadPoolSize(2).queueCapacity(4).build(), new ManualClock(), failing);

    @AfterEach
    void stop() throws InterruptedException {
        bulkhead.shutdownNow();
        assertThat(bulkhead.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void anAsynchronousCallFailsWithTheDecoratorsExceptionAndNeverRuns() {
        CompletableFuture<String> result = bulkhead.<String>callAsync(() -> {
            taskRuns.incrementAndGet();
            return CompletableFuture.completedFuture("never");
        }).toCompletableFuture();

        assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isSameAs(contextLost);
        assertThat(taskRuns).hasValue(0);
    }

    @Test
    void aSynchronousCallerGetsTheDecoratorsExceptionInsteadOfWaitingForEver() throws Exception {
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<Object> call = caller.submit(() -> bulkhead.call(() -> {
                taskRuns.incrementAndGet();
                return "never";
            }));
            assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isSameAs(contextLost);
        } finally {
            caller.shutdownNow();
        }
        assertThat(taskRuns).hasValue(0);
    }

    @Test
    void everyOneOfManySubmissionsCompletesAndEverySlotComesBack() throws Exception {
        int submissions = 2_000;
        List<CompletableFuture<String>> results = new ArrayList<>();
        int rejected = 0;
        for (int i = 0; i < submissions; i++) {
            CompletableFuture<String> result = bulkhead.<String>callAsync(() -> {
                taskRuns.incrementAndGet();
                return CompletableFuture.completedFuture("never");
            }).toCompletableFuture();
            results.add(result);
        }
        int failedByDecorator = 0;
        for (CompletableFuture<String> result : results) {
            try {
                result.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() == contextLost) {
                    failedByDecorator++;
                } else if (e.getCause() instanceof BulkheadFullException) {
                    rejected++;
                } else {
                    throw e;
                }
            }
        }

        assertThat(failedByDecorator + rejected).isEqualTo(submissions);
        assertThat(taskRuns).hasValue(0);
        ThreadPoolBulkheadMetrics metrics = bulkhead.metrics();
        assertThat(metrics.permittedCalls()).isEqualTo(failedByDecorator);
        assertThat(metrics.rejectedCalls()).isEqualTo(rejected);
        assertThat(metrics.queueDepth()).isZero();
        assertThat(metrics.remainingQueueCapacity()).isEqualTo(4);
        await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().activeThreads() == 0);
    }
}

package dev.resilience.bulkhead;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AsyncBulkheadTest {

    private final ManualClock clock = new ManualClock();

    private Bulkhead bulkhead(int max, Duration wait) {
        return Bulkhead.of("inventory", BulkheadConfig.builder().maxConcurrentCalls(max).maxWaitDuration(wait).build(), clock);
    }

    private static int available(Bulkhead bulkhead) {
        return bulkhead.metrics().availableConcurrentCalls();
    }

    @Test
    void holdsThePermitUntilTheStageCompletesNormally() {
        Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletionStage<String> result = bulkhead.callAsync(() -> work);
        assertThat(available(bulkhead)).isEqualTo(1);

        work.complete("stock");

        assertThat(result.toCompletableFuture().join()).isEqualTo("stock");
        assertThat(available(bulkhead)).isEqualTo(2);
    }

    @Test
    void releasesThePermitWhenTheStageFails() {
        Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletionStage<String> result = bulkhead.callAsync(() -> work);
        IllegalStateException failure = new IllegalStateException("down");

        work.completeExceptionally(failure);

        assertThatThrownBy(() -> result.toCompletableFuture().join()).isInstanceOf(CompletionException.class).hasCause(failure);
        assertThat(available(bulkhead)).isEqualTo(2);
    }

    @Test
    void releasesThePermitOnceWhenTheReturnedStageIsCancelled() {
        Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletionStage<String> result = bulkhead.callAsync(() -> work);

        result.toCompletableFuture().cancel(true);
        assertThat(available(bulkhead)).isEqualTo(2);
        work.complete("late"); // must not release a second time

        assertThat(available(bulkhead)).isEqualTo(2);
    }

    @Test
    void releasesThePermitWhenTheSupplierThrows() {
        Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
        IllegalStateException failure = new IllegalStateException("no stage");
        CompletionStage<String> result = bulkhead.callAsync(() -> {
            throw failure;
        });
        assertThatThrownBy(() -> result.toCompletableFuture().join()).hasCause(failure);
        assertThat(available(bulkhead)).isEqualTo(2);
    }

    @Test
    void releasesThePermitWhenTheSupplierReturnsNull() {
        Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
        CompletionStage<String> result = bulkhead.callAsync(() -> null);
        assertThatThrownBy(() -> result.toCompletableFuture().join()).hasCauseInstanceOf(NullPointerException.class);
        assertThat(available(bulkhead)).isEqualTo(2);
    }

    @Test
    void rejectsAtOnceWhenFullAndMaxWaitIsZero() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        bulkhead.callAsync(CompletableFuture::new);
        AtomicInteger supplied = new AtomicInteger();

        CompletionStage<Object> rejected = bulkhead.callAsync(() -> {
            supplied.incrementAndGet();
            return new CompletableFuture<>();
        });

        assertThat(rejected.toCompletableFuture()).isCompletedExceptionally();
        assertThatThrownBy(() -> rejected.toCompletableFuture().join()).hasCauseInstanceOf(BulkheadFullException.class);
        assertThat(supplied).hasValue(0);
        assertThat(bulkhead.metrics()).isEqualTo(new BulkheadMetrics(1, 0, 0, 1, 1));
    }

    @Test
    void aQueuedCallStartsWhenAPermitIsFreed() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        AtomicInteger secondSupplied = new AtomicInteger();
        CompletionStage<String> firstResult = bulkhead.callAsync(() -> first);
        CompletionStage<String> secondResult = bulkhead.callAsync(() -> {
            secondSupplied.incrementAndGet();
            return second;
        });
        assertThat(secondSupplied).hasValue(0);
        assertThat(bulkhead.metrics().waitingCalls()).isEqualTo(1);

        first.complete("one");

        assertThat(firstResult.toCompletableFuture().join()).isEqualTo("one");
        assertThat(secondSupplied).hasValue(1);
        assertThat(available(bulkhead)).isZero();
        second.complete("two");
        assertThat(secondResult.toCompletableFuture().join()).isEqualTo("two");
        assertThat(bulkhead.metrics()).isEqualTo(new BulkheadMetrics(1, 1, 0, 2, 0));
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void queuedCallsAreServedInArrivalOrder() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
        CompletableFuture<String> first = new CompletableFuture<>();
        bulkhead.callAsync(() -> first);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            bulkhead.callAsync(() -> {
                order.add(n);
                return CompletableFuture.completedFuture(n);
            });
        }
        first.complete("go");
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
        assertThat(available(bulkhead)).isEqualTo(1);
    }

    @Test
    void aQueuedCallTimesOutWithoutSwallowingALaterPermit() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofMillis(200));
        CompletableFuture<String> first = new CompletableFuture<>();
        bulkhead.callAsync(() -> first);
        AtomicInteger supplied = new AtomicInteger();
        CompletionStage<Object> queued = bulkhead.callAsync(() -> {
            supplied.incrementAndGet();
            return CompletableFuture.completedFuture("x");
        });

        clock.advance(Duration.ofMillis(200));

        assertThatThrownBy(() -> queued.toCompletableFuture().join()).hasCauseInstanceOf(BulkheadFullException.class);
        first.complete("done");
        assertThat(supplied).hasValue(0);
        assertThat(bulkhead.metrics()).isEqualTo(new BulkheadMetrics(1, 1, 0, 1, 1));
    }

    @Test
    void aCallCancelledWhileQueuedNeverRunsAndTakesNoPermit() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
        CompletableFuture<String> first = new CompletableFuture<>();
        bulkhead.callAsync(() -> first);
        AtomicInteger supplied = new AtomicInteger();
        CompletionStage<Object> queued = bulkhead.callAsync(() -> {
            supplied.incrementAndGet();
            return new CompletableFuture<>();
        });

        queued.toCompletableFuture().cancel(true);
        assertThat(bulkhead.metrics().waitingCalls()).isZero();
        assertThat(clock.pendingTasks()).isZero();
        first.complete("done");

        assertThat(supplied).hasValue(0);
        assertThat(available(bulkhead)).isEqualTo(1);
    }

    @Test
    void cancellingAQueuedCallAfterItStartedReleasesItsPermit() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
        CompletableFuture<String> first = new CompletableFuture<>();
        bulkhead.callAsync(() -> first);
        CompletableFuture<Object> secondWork = new CompletableFuture<>();
        CompletionStage<Object> second = bulkhead.callAsync(() -> secondWork);
        first.complete("done");
        assertThat(available(bulkhead)).isZero();

        second.toCompletableFuture().cancel(true);

        assertThat(available(bulkhead)).isEqualTo(1);
        secondWork.complete("late");
        assertThat(available(bulkhead)).isEqualTo(1);
    }

    @Test
    void manyQueuedCallsCompletingAtOnceAreServedWithoutDeepRecursion() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
        CompletableFuture<String> first = new CompletableFuture<>();
        bulkhead.callAsync(() -> first);
        int queued = 50_000;
        AtomicInteger served = new AtomicInteger();
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < queued; i++) {
            results.add(bulkhead.<String>callAsync(() -> {
                served.incrementAndGet();
                return CompletableFuture.completedFuture("now");
            }).toCompletableFuture());
        }
        assertThat(bulkhead.metrics().waitingCalls()).isEqualTo(queued);

        first.complete("go"); // every queued call now runs, one after the other, on this thread

        assertThat(served).hasValue(queued);
        assertThat(results).allSatisfy(r -> assertThat(r).isCompletedWithValue("now"));
        assertThat(bulkhead.metrics()).isEqualTo(new BulkheadMetrics(1, 1, 0, queued + 1, 0));
    }
}

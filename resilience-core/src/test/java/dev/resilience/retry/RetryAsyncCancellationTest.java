package dev.resilience.retry;

import dev.resilience.Resilience;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Cancelling the stage a retry returned cancels the attempt in flight and ends a pending backoff. */
class RetryAsyncCancellationTest {

    private final ManualClock clock = new ManualClock();
    private final Retry retry = Retry.of("retry", RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofSeconds(1))
            .asyncExecutor(Runnable::run).build(), clock);
    private final Bulkhead bulkhead = Bulkhead.of("bulkhead", BulkheadConfig.builder().maxConcurrentCalls(2).build(), clock);

    @Test
    void cancellingTheCallCancelsTheAttemptInFlightAndGivesItsBulkheadPermitBack() {
        CompletableFuture<String> attempt = new CompletableFuture<>();
        CompletableFuture<String> result = Resilience.compose(retry, bulkhead).<String>callAsync(() -> attempt).toCompletableFuture();
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);

        result.cancel(true);

        assertThat(attempt).isCancelled();
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(2);
    }

    @Test
    void cancellingTheCallDuringABackoffEndsItsTimerAndStartsNoFurtherAttempt() {
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<String> result = Resilience.compose(retry, bulkhead).<String>callAsync(() -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("down"));
        }).toCompletableFuture();
        assertThat(attempts).hasValue(1);
        assertThat(clock.pendingTasks()).isEqualTo(1); // the backoff

        result.cancel(true);
        assertThat(clock.pendingTasks()).isZero();
        clock.advance(Duration.ofSeconds(5));

        assertThat(attempts).hasValue(1);
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(2);
    }

    /**
     * The caller may give up on another thread at any moment, also while the retry is deciding on its backoff; a
     * listener of the retry event cancels at exactly that point. The timer scheduled after it must not outlive the
     * call.
     */
    @Test
    void cancellingTheCallWhileItsBackoffIsBeingScheduledLeavesNoTimer() {
        AtomicReference<CompletableFuture<String>> call = new AtomicReference<>();
        retry.events().subscribe(e -> {
            if (e.eventType() == RetryEvent.Type.RETRY) {
                call.get().cancel(true);
            }
        });
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<String> first = new CompletableFuture<>();
        call.set(Resilience.compose(retry, bulkhead).<String>callAsync(() -> {
            attempts.incrementAndGet();
            return first;
        }).toCompletableFuture());

        first.completeExceptionally(new IOException("down"));

        assertThat(call.get()).isCancelled();
        assertThat(clock.pendingTasks()).isZero();
        clock.advance(Duration.ofSeconds(5));
        assertThat(attempts).hasValue(1);
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(2);
    }

    @Test
    void cancellingTheCallWhileTheSecondAttemptRunsCancelsThatAttempt() {
        CompletableFuture<String> second = new CompletableFuture<>();
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<String> result = Resilience.compose(retry, bulkhead).<String>callAsync(() ->
                attempts.incrementAndGet() == 1 ? CompletableFuture.failedFuture(new IOException("down")) : second)
                .toCompletableFuture();
        clock.advance(Duration.ofSeconds(1));
        assertThat(attempts).hasValue(2);
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);

        result.cancel(true);

        assertThat(second).isCancelled();
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(2);
    }
}

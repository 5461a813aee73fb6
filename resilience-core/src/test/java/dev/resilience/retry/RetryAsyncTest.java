package dev.resilience.retry;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAsyncTest {

    private final ManualClock clock = new ManualClock();

    /** Attempts after a backoff run on the thread that advances the clock, so each step is deterministic. */
    private Retry retry(RetryConfig.Builder builder) {
        return Retry.of("async", builder.asyncExecutor(Runnable::run).build(), clock);
    }

    @Test
    void advancingTheClockDrivesTheAttempts() {
        Retry r = retry(RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofMillis(100)).exponentialBackoffMultiplier(2));
        List<Long> attemptTimesMillis = new ArrayList<>();
        CompletableFuture<String> result = r.<String>callAsync(() -> {
            attemptTimesMillis.add(clock.nanoTime() / 1_000_000);
            return attemptTimesMillis.size() < 3
                    ? CompletableFuture.failedFuture(new IOException("down"))
                    : CompletableFuture.completedFuture("up");
        }).toCompletableFuture();

        assertThat(attemptTimesMillis).containsExactly(0L);
        clock.advance(Duration.ofMillis(99));
        assertThat(attemptTimesMillis).hasSize(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(attemptTimesMillis).containsExactly(0L, 100L);
        assertThat(result).isNotDone();
        clock.advance(Duration.ofMillis(200));
        assertThat(attemptTimesMillis).containsExactly(0L, 100L, 300L);
        assertThat(result).isCompletedWithValue("up");
        assertThat(r.metrics().successfulCallsWithRetry()).isEqualTo(1);
    }

    @Test
    void completesWithTheLastFailureUnwrappedWhenAttemptsRunOut() {
        Retry r = retry(RetryConfig.builder().maxAttempts(2).waitDuration(Duration.ofMillis(10)));
        AtomicInteger attempts = new AtomicInteger();
        IOException last = new IOException("second");
        CompletableFuture<Object> result = r.callAsync(() -> attempts.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(new CompletionException(new IOException("first")))
                : CompletableFuture.failedFuture(new CompletionException(last))).toCompletableFuture();
        clock.advance(Duration.ofMillis(10));
        assertThat(result).isCompletedExceptionally();
        assertThat(result.handle((v, t) -> t).join()).isSameAs(last);
        assertThat(r.metrics()).isEqualTo(new RetryMetrics(0, 0, 0, 1, 0));
    }

    @Test
    void ignoredFailureCompletesAtOnceWithoutRetry() {
        Retry r = retry(RetryConfig.builder().maxAttempts(5).ignoreExceptions(IllegalArgumentException.class));
        AtomicInteger attempts = new AtomicInteger();
        IllegalArgumentException bad = new IllegalArgumentException();
        CompletableFuture<Object> result = r.callAsync(() -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(bad);
        }).toCompletableFuture();
        assertThat(result.handle((v, t) -> t).join()).isSameAs(bad);
        assertThat(attempts).hasValue(1);
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void supplierThrowingIsTreatedAsAFailedAttempt() {
        Retry r = retry(RetryConfig.builder().maxAttempts(2).waitDuration(Duration.ofMillis(5)));
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<String> result = r.<String>callAsync(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("sync throw");
            }
            return CompletableFuture.completedFuture("ok");
        }).toCompletableFuture();
        clock.advance(Duration.ofMillis(5));
        assertThat(result).isCompletedWithValue("ok");
    }

    @Test
    void retriesOnResultAndCompletesWithTheLastResult() {
        Retry r = retry(RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofMillis(10)).retryOnResult("busy"::equals));
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<String> result = r.<String>callAsync(() -> {
            attempts.incrementAndGet();
            return CompletableFuture.completedFuture("busy");
        }).toCompletableFuture();
        clock.advance(Duration.ofMillis(100));
        assertThat(result).isCompletedWithValue("busy");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void stageThatCompletesLaterIsRetriedWhenItFails() {
        Retry r = retry(RetryConfig.builder().maxAttempts(2).waitDuration(Duration.ofMillis(10)));
        List<CompletableFuture<String>> stages = new ArrayList<>();
        CompletableFuture<String> result = r.<String>callAsync(() -> {
            CompletableFuture<String> stage = new CompletableFuture<>();
            stages.add(stage);
            return stage;
        }).toCompletableFuture();
        stages.get(0).completeExceptionally(new IllegalStateException());
        assertThat(stages).hasSize(1);
        clock.advance(Duration.ofMillis(10));
        assertThat(stages).hasSize(2);
        stages.get(1).complete("late");
        assertThat(result).isCompletedWithValue("late");
    }

    @Test
    void cancellingTheResultCancelsThePendingBackoff() {
        Retry r = retry(RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofSeconds(1)));
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<Object> result = r.callAsync(() -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException());
        }).toCompletableFuture();
        assertThat(clock.pendingTasks()).isEqualTo(1);
        result.cancel(false);
        assertThat(clock.pendingTasks()).isZero();
        clock.advance(Duration.ofSeconds(10));
        assertThat(attempts).hasValue(1);
    }

    @Test
    void eventsArePublishedForAsyncRetries() {
        Retry r = retry(RetryConfig.builder().maxAttempts(2).waitDuration(Duration.ofMillis(10)));
        List<String> types = new ArrayList<>();
        r.events().subscribe(e -> types.add(e.type()));
        r.callAsync(() -> CompletableFuture.failedFuture(new IllegalStateException()));
        clock.advance(Duration.ofMillis(10));
        assertThat(types).containsExactly("RETRY", "ERROR");
    }
}

package dev.resilience.retry;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RetryConfig.Builder#failAfterMaxAttempts(boolean)}: an unwanted last result becomes an exception. */
class RetryFailAfterMaxAttemptsTest {

    private final ManualClock clock = new ManualClock();

    private Retry retry(boolean failAfterMaxAttempts) {
        return Retry.of("orders", RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofMillis(10))
                .retryOnResult("pending"::equals).failAfterMaxAttempts(failAfterMaxAttempts)
                .asyncExecutor(Runnable::run).build(), clock);
    }

    @Test
    void anUnwantedResultAfterTheLastAttemptEndsWithMaxRetriesExceeded() {
        Retry retry = retry(true);
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.call(() -> {
            calls.incrementAndGet();
            return "pending";
        })).isInstanceOfSatisfying(MaxRetriesExceededException.class, e -> {
            assertThat(e.instanceName()).isEqualTo("orders");
            assertThat(e.attempts()).isEqualTo(3);
            assertThat(e.lastResult()).isEqualTo("pending");
            assertThat(e.getMessage()).contains("orders").contains("3 attempts");
        });
        assertThat(calls).hasValue(3);
        assertThat(retry.metrics().failedCallsWithRetry()).isEqualTo(1);
    }

    @Test
    void withoutItTheLastResultIsReturned() throws Exception {
        Retry retry = retry(false);

        assertThat(retry.call(() -> "pending")).isEqualTo("pending");
    }

    @Test
    void aWantedResultBeforeTheLastAttemptIsReturned() throws Exception {
        Retry retry = retry(true);
        AtomicInteger calls = new AtomicInteger();

        assertThat(retry.call(() -> calls.incrementAndGet() < 3 ? "pending" : "done")).isEqualTo("done");
    }

    @Test
    void asynchronouslyTheStageCompletesWithMaxRetriesExceeded() {
        Retry retry = retry(true);

        CompletableFuture<Object> answer = retry.callAsync(() -> CompletableFuture.<Object>completedFuture("pending"))
                .toCompletableFuture();
        clock.advance(Duration.ofMillis(20));

        assertThat(answer.handle((v, t) -> t).join()).isInstanceOfSatisfying(MaxRetriesExceededException.class, e -> {
            assertThat(e.attempts()).isEqualTo(3);
            assertThat(e.lastResult()).isEqualTo("pending");
        });
        assertThat(retry.metrics().failedCallsWithRetry()).isEqualTo(1);
    }

    @Test
    void asynchronouslyWithoutItTheLastResultCompletesTheStage() {
        Retry retry = retry(false);

        CompletableFuture<Object> answer = retry.callAsync(() -> CompletableFuture.<Object>completedFuture("pending"))
                .toCompletableFuture();
        clock.advance(Duration.ofMillis(20));

        assertThat(answer).isCompletedWithValue("pending");
    }

    @Test
    void aRetryStoppedOnAnUnwantedResultStillReturnsIt() throws Exception {
        Retry retry = retry(true);
        retry.stopRetrying();

        assertThat(retry.call(() -> "pending")).as("only exhausted attempts fail").isEqualTo("pending");
    }
}

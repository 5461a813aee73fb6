package dev.resilience.timeout;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Asynchronous calls through a {@link Timeout}: nothing blocks, the clock decides. */
class AsyncTimeoutTest {

    private final ManualClock clock = new ManualClock();

    private Timeout timeout(boolean cancelRunningFuture) {
        return Timeout.of("pricing", TimeoutConfig.builder().timeoutDuration(Duration.ofMillis(300))
                .cancelRunningFuture(cancelRunningFuture).build(), clock);
    }

    @Test
    void completesWithTheValueAndCancelsTheTimer() {
        Timeout timeout = timeout(true);
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletionStage<String> result = timeout.callAsync(() -> work);
        assertThat(clock.pendingTasks()).isEqualTo(1);

        work.complete("price");

        assertThat(result.toCompletableFuture()).isCompletedWithValue("price");
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void completesWithTheFailureAndCancelsTheTimer() {
        Timeout timeout = timeout(true);
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletionStage<String> result = timeout.callAsync(() -> work);
        IOException failure = new IOException("down");

        work.completeExceptionally(failure);

        assertThatThrownBy(() -> result.toCompletableFuture().join()).hasCause(failure);
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void failsWithTimeoutExceededWhenTheTimerFiresFirstAndAbandonsTheWorkWithIt() {
        Timeout timeout = timeout(true);
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletionStage<String> result = timeout.callAsync(() -> work);

        clock.advance(Duration.ofMillis(299));
        assertThat(result.toCompletableFuture()).isNotDone();
        clock.advance(Duration.ofMillis(1));

        assertThatThrownBy(() -> result.toCompletableFuture().join())
                .hasCauseInstanceOf(TimeoutExceededException.class)
                .cause().hasMessageContaining("'pricing'").hasMessageContaining("PT0.3S");
        assertThatThrownBy(work::join).hasCauseInstanceOf(TimeoutExceededException.class);
        assertThat(work.complete("late")).isFalse();
        assertThat(timeout.metrics()).isEqualTo(new TimeoutMetrics(0, 0, 1));
    }

    @Test
    void leavesTheWorkRunningOnTimeoutWhenNotCancelRunningFuture() {
        Timeout timeout = timeout(false);
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletionStage<String> result = timeout.callAsync(() -> work);

        clock.advance(Duration.ofMillis(300));

        assertThatThrownBy(() -> result.toCompletableFuture().join()).hasCauseInstanceOf(TimeoutExceededException.class);
        assertThat(work).isNotDone();
    }

    @Test
    void cancellingTheResultCancelsTheTimerAndTheWork() {
        Timeout timeout = timeout(true);
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletionStage<String> result = timeout.callAsync(() -> work);

        result.toCompletableFuture().cancel(true);

        assertThat(clock.pendingTasks()).isZero();
        assertThat(work).isCancelled();
    }

    @Test
    void failsTheStageWhenTheSupplierThrowsOrReturnsNull() {
        Timeout timeout = timeout(true);
        IllegalStateException failure = new IllegalStateException("no stage");
        CompletionStage<String> thrown = timeout.callAsync(() -> {
            throw failure;
        });
        CompletionStage<String> nullStage = timeout.callAsync(() -> null);
        assertThatThrownBy(() -> thrown.toCompletableFuture().join()).hasCause(failure);
        assertThatThrownBy(() -> nullStage.toCompletableFuture().join()).hasCauseInstanceOf(NullPointerException.class);
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void anAlreadyCompletedStageLeavesNoTimerBehind() {
        Timeout timeout = timeout(true);
        assertThat(timeout.callAsync(() -> CompletableFuture.completedFuture("now")).toCompletableFuture())
                .isCompletedWithValue("now");
        assertThat(clock.pendingTasks()).isZero();
        assertThat(timeout.metrics()).isEqualTo(new TimeoutMetrics(1, 0, 0));
    }
}

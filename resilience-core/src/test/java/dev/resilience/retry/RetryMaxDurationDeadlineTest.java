package dev.resilience.retry;

import dev.resilience.core.ManualClock;
import dev.resilience.deadline.Deadline;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A retry's {@code maxDuration} is a deadline for what the retry calls: each attempt runs with the earlier of the
 * caller's deadline and the retry's start plus {@code maxDuration} as its current {@link Deadline}.
 */
class RetryMaxDurationDeadlineTest {

    private static final Duration MAX_DURATION = Duration.ofSeconds(10);
    private static final Duration BACKOFF = Duration.ofSeconds(1);
    private static final Duration ATTEMPT_TAKES = Duration.ofMillis(500);

    private final ManualClock clock = new ManualClock();
    private final List<Duration> seen = new CopyOnWriteArrayList<>();

    private Retry retry(RetryConfig.Builder builder) {
        return Retry.of("retry", builder.maxAttempts(3).waitDuration(BACKOFF).asyncExecutor(Runnable::run).build(), clock);
    }

    private Duration remaining() {
        return Deadline.current().map(Deadline::remaining).orElse(null);
    }

    /** An attempt that records the deadline it sees, takes {@link #ATTEMPT_TAKES}, then fails. */
    private Object failingAttempt() throws IOException {
        seen.add(remaining());
        clock.advance(ATTEMPT_TAKES);
        throw new IOException("down");
    }

    @Test
    void eachSynchronousAttemptSeesMaxDurationLessTheTimeSinceTheRetryStarted() {
        Retry retry = retry(RetryConfig.builder().maxDuration(MAX_DURATION));

        assertThatThrownBy(() -> retry.call(this::failingAttempt)).isInstanceOf(IOException.class);

        // attempts start at 0, 1.5 s and 3 s
        assertThat(seen).containsExactly(Duration.ofSeconds(10), Duration.ofMillis(8500), Duration.ofSeconds(7));
        assertThat(Deadline.current()).isEmpty();
    }

    @Test
    void aShorterCallerDeadlineWinsOverMaxDuration() {
        Retry retry = retry(RetryConfig.builder().maxDuration(MAX_DURATION));

        assertThatThrownBy(() -> Deadline.runWithin(Duration.ofSeconds(4), clock, () -> retry.call(this::failingAttempt)))
                .isInstanceOf(IOException.class);

        assertThat(seen).containsExactly(Duration.ofSeconds(4), Duration.ofMillis(2500), Duration.ofSeconds(1));
    }

    @Test
    void aLongerCallerDeadlineGivesWayToMaxDurationAndIsRestoredAfterTheCall() {
        Retry retry = retry(RetryConfig.builder().maxDuration(MAX_DURATION));
        Deadline caller = Deadline.after(Duration.ofMinutes(1), clock);

        Deadline after = caller.run(() -> {
            assertThatThrownBy(() -> retry.call(this::failingAttempt)).isInstanceOf(IOException.class);
            return Deadline.currentOrNull();
        });

        assertThat(seen).containsExactly(Duration.ofSeconds(10), Duration.ofMillis(8500), Duration.ofSeconds(7));
        assertThat(after).isSameAs(caller);
    }

    @Test
    void withoutMaxDurationTheAttemptSeesTheCallersDeadlineOrNone() {
        Retry retry = retry(RetryConfig.builder());

        assertThatThrownBy(() -> retry.call(this::failingAttempt)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Deadline.runWithin(Duration.ofSeconds(30), clock, () -> retry.call(this::failingAttempt)))
                .isInstanceOf(IOException.class);

        assertThat(seen).containsExactly(null, null, null, Duration.ofSeconds(30), Duration.ofMillis(28500), Duration.ofSeconds(27));
    }

    @Test
    void eachAsynchronousAttemptSeesMaxDurationLessTheTimeSinceTheRetryStarted() {
        Retry retry = retry(RetryConfig.builder().maxDuration(MAX_DURATION));

        CompletableFuture<Object> outcome = retry.callAsync(() -> {
            seen.add(remaining());
            return CompletableFuture.failedFuture(new IOException("down"));
        }).toCompletableFuture();
        assertThat(Deadline.current()).isEmpty();
        clock.advance(BACKOFF);
        clock.advance(BACKOFF);

        assertThat(outcome).isCompletedExceptionally();
        assertThat(seen).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(9), Duration.ofSeconds(8));
        assertThat(Deadline.current()).isEmpty();
    }

    @Test
    void aShorterCallerDeadlineWinsForAsynchronousAttempts() {
        Retry retry = retry(RetryConfig.builder().maxDuration(MAX_DURATION));

        CompletableFuture<Object> outcome = Deadline.runWithin(Duration.ofSeconds(4), clock, () -> retry.callAsync(() -> {
            seen.add(remaining());
            return CompletableFuture.failedFuture(new IOException("down"));
        }).toCompletableFuture());
        clock.advance(BACKOFF);
        clock.advance(BACKOFF);

        assertThat(outcome).isCompletedExceptionally();
        assertThat(seen).containsExactly(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofSeconds(2));
    }
}

package dev.resilience.retry;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RetryConfig.Builder#intervalFunction(IntervalBiFunction)}: the wait before a retry decided by the caller. */
class RetryIntervalFunctionTest {

    private final ManualClock clock = new ManualClock();

    /** A downstream's answer that says how long to wait (a 429 or 503 with Retry-After). */
    static final class TooManyRequests extends RuntimeException {
        final Duration retryAfter;

        TooManyRequests(Duration retryAfter) {
            super("429", null, false, false);
            this.retryAfter = retryAfter;
        }
    }

    private static final IntervalBiFunction RETRY_AFTER = (attempt, error, result) ->
            error instanceof TooManyRequests tooMany ? tooMany.retryAfter : null;

    private Retry retry(RetryConfig.Builder builder) {
        return Retry.of("partner", builder.asyncExecutor(Runnable::run).build(), clock);
    }

    @Test
    void theWaitIsTheOneTheFunctionReturns() throws Exception {
        Retry retry = retry(RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofMillis(100))
                .intervalFunction(RETRY_AFTER));
        List<Long> attemptsAtMillis = new ArrayList<>();

        String answer = retry.call(() -> {
            attemptsAtMillis.add(clock.nanoTime() / 1_000_000);
            if (attemptsAtMillis.size() == 1) {
                throw new TooManyRequests(Duration.ofSeconds(7));
            }
            if (attemptsAtMillis.size() == 2) {
                throw new IOException("no Retry-After");
            }
            return "ok";
        });

        assertThat(answer).isEqualTo("ok");
        assertThat(attemptsAtMillis).as("7 s from Retry-After, then the configured 100 ms for null")
                .containsExactly(0L, 7_000L, 7_100L);
    }

    @Test
    void theFunctionGetsTheAttemptNumberAndTheOutcome() throws Exception {
        List<String> seen = new ArrayList<>();
        Retry retry = retry(RetryConfig.builder().maxAttempts(3).retryOnResult("busy"::equals)
                .intervalFunction((attempt, error, result) -> {
                    seen.add(attempt + ":" + (error == null ? "result " + result : error.getMessage()));
                    return Duration.ofMillis(10L * attempt);
                }));
        AtomicInteger calls = new AtomicInteger();

        String answer = retry.call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("down");
            }
            return calls.get() == 2 ? "busy" : "ok";
        });

        assertThat(answer).isEqualTo("ok");
        assertThat(seen).containsExactly("1:down", "2:result busy");
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofMillis(30).toNanos());
    }

    @Test
    void theWaitIsNeitherCappedNorJittered() throws Exception {
        Retry retry = retry(RetryConfig.builder().maxAttempts(2).waitDuration(Duration.ofMillis(100))
                .exponentialMaxWaitDuration(Duration.ofSeconds(1)).randomizedWaitFactor(0.5).random(() -> 0.0)
                .intervalFunction((attempt, error, result) -> Duration.ofSeconds(30)));
        AtomicInteger calls = new AtomicInteger();

        retry.call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("down");
            }
            return "ok";
        });

        assertThat(clock.nanoTime()).isEqualTo(Duration.ofSeconds(30).toNanos());
    }

    @Test
    void aNegativeWaitEndsTheCallWithAnIllegalStateExceptionNamingTheRetry() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(3)
                .intervalFunction((attempt, error, result) -> Duration.ofMillis(-1)));
        IOException down = new IOException("down");
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.call(() -> {
            calls.incrementAndGet();
            throw down;
        })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("partner").hasMessageContaining("intervalFunction").hasMessageContaining("PT-0.001S")
                .hasCause(down);
        assertThat(calls).hasValue(1);
    }

    @Test
    void asynchronousRetriesWaitWhatTheFunctionReturns() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofMillis(100))
                .intervalFunction(RETRY_AFTER));
        List<Long> attemptsAtMillis = new ArrayList<>();

        CompletableFuture<String> answer = retry.<String>callAsync(() -> {
            attemptsAtMillis.add(clock.nanoTime() / 1_000_000);
            return switch (attemptsAtMillis.size()) {
                case 1 -> CompletableFuture.failedFuture(new TooManyRequests(Duration.ofSeconds(2)));
                case 2 -> CompletableFuture.failedFuture(new IOException("no Retry-After"));
                default -> CompletableFuture.completedFuture("ok");
            };
        }).toCompletableFuture();
        clock.advance(Duration.ofSeconds(2));
        assertThat(attemptsAtMillis).containsExactly(0L, 2_000L);
        clock.advance(Duration.ofMillis(100));

        assertThat(attemptsAtMillis).containsExactly(0L, 2_000L, 2_100L);
        assertThat(answer).isCompletedWithValue("ok");
    }

    @Test
    void anAsynchronousNegativeWaitEndsTheCallWithAnIllegalStateException() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(3)
                .intervalFunction((attempt, error, result) -> Duration.ofSeconds(-5)));

        CompletableFuture<Object> answer = retry.callAsync(() -> CompletableFuture.failedFuture(new IOException("down")))
                .toCompletableFuture();

        assertThat(answer.handle((v, t) -> t).join()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("partner").hasRootCauseInstanceOf(IOException.class);
    }

    @Test
    void theFunctionIsKeptByToBuilder() {
        RetryConfig config = RetryConfig.builder().intervalFunction(RETRY_AFTER).failAfterMaxAttempts(true).build();

        RetryConfig copy = config.toBuilder().build();

        assertThat(copy.intervalFunction()).containsSame(RETRY_AFTER);
        assertThat(copy.failAfterMaxAttempts()).isTrue();
        assertThat(RetryConfig.defaults().intervalFunction()).isEmpty();
        assertThat(RetryConfig.defaults().failAfterMaxAttempts()).isFalse();
    }
}

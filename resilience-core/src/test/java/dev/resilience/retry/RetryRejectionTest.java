package dev.resilience.retry;

import dev.resilience.ResilienceException;
import dev.resilience.Resilience;
import dev.resilience.ShutdownInProgressException;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.ManualClock;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.timeout.TimeoutExceededException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A retry does not retry the engine's own rejections (an open breaker, a full bulkhead, a rate limit, a shutdown)
 * unless configured to: every further attempt would wait a full backoff only to be rejected again.
 */
class RetryRejectionTest {

    private static final Duration BACKOFF = Duration.ofSeconds(1);

    private final ManualClock clock = new ManualClock();
    private final AtomicInteger attempts = new AtomicInteger();

    private CircuitBreaker openBreaker() {
        CircuitBreaker breaker = CircuitBreaker.of("inventory", CircuitBreakerConfig.defaults(), clock);
        breaker.transitionToOpenState();
        return breaker;
    }

    private Retry retry(RetryConfig.Builder builder) {
        return Retry.of("retry", builder.maxAttempts(3).waitDuration(BACKOFF).build(), clock);
    }

    @Test
    void aRetryAroundAnOpenBreakerMakesOneAttemptAndNoBackoff() {
        Retry retry = retry(RetryConfig.builder());
        CircuitBreaker breaker = openBreaker();

        assertThatThrownBy(() -> retry.call(() -> {
            attempts.incrementAndGet();
            return breaker.call(() -> "stock");
        })).isInstanceOf(CallNotPermittedException.class);

        assertThat(attempts).hasValue(1);
        assertThat(clock.nanoTime()).isZero();
        assertThat(retry.metrics().failedCallsWithIgnoredError()).isEqualTo(1);
    }

    @Test
    void aComposedRetryAndOpenBreakerRejectOnceAndTheRejectionReachesTheCaller() {
        Retry retry = retry(RetryConfig.builder());
        List<RetryEvent.Type> events = new java.util.ArrayList<>();
        retry.events().subscribe(e -> events.add(e.eventType()));

        assertThatThrownBy(() -> Resilience.compose(retry, openBreaker()).call(() -> "stock"))
                .isInstanceOf(CallNotPermittedException.class).hasMessageContaining("inventory");

        assertThat(events).containsExactly(RetryEvent.Type.IGNORED_ERROR);
        assertThat(clock.nanoTime()).isZero();
    }

    @Test
    void withOpenBreakerRetriesOptedInEveryAttemptIsMade() {
        Retry retry = retry(RetryConfig.builder().retryRejections(CallNotPermittedException.class));
        CircuitBreaker breaker = openBreaker();

        assertThatThrownBy(() -> retry.call(() -> {
            attempts.incrementAndGet();
            return breaker.call(() -> "stock");
        })).isInstanceOf(CallNotPermittedException.class);

        assertThat(attempts).hasValue(3);
        assertThat(clock.nanoTime()).isEqualTo(2 * BACKOFF.toNanos());
    }

    @Test
    void anAsynchronousRetryAroundAnOpenBreakerMakesOneAttemptAndSchedulesNoBackoff() {
        Retry retry = retry(RetryConfig.builder());
        CircuitBreaker breaker = openBreaker();

        CompletableFuture<String> result = retry.<String>callAsync(() -> {
            attempts.incrementAndGet();
            return breaker.callAsync(() -> CompletableFuture.completedFuture("stock"));
        }).toCompletableFuture();

        assertThat(result).isCompletedExceptionally();
        assertThat(result.handle((v, t) -> t).join()).isInstanceOf(CallNotPermittedException.class);
        assertThat(attempts).hasValue(1);
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void anAsynchronousRetryWithTheRejectionOptedInRetriesIt() {
        Retry retry = retry(RetryConfig.builder().retryRejections(CallNotPermittedException.class).asyncExecutor(Runnable::run));
        CircuitBreaker breaker = openBreaker();

        CompletableFuture<String> result = retry.<String>callAsync(() -> {
            attempts.incrementAndGet();
            return breaker.callAsync(() -> CompletableFuture.completedFuture("stock"));
        }).toCompletableFuture();
        clock.advance(BACKOFF.multipliedBy(2));

        assertThat(result).isCompletedExceptionally();
        assertThat(result.handle((v, t) -> t).join()).isInstanceOf(CallNotPermittedException.class);
        assertThat(attempts).hasValue(3);
    }

    @Test
    void eachOfTheFourRejectionsEndsTheRetryAtOnce() {
        List<ResilienceException> rejections = List.of(
                new CallNotPermittedException("cb", CircuitBreaker.State.FORCED_OPEN, -1),
                new BulkheadFullException("bh", "Bulkhead 'bh' is full"),
                RequestNotPermittedException.timedOut("rl", Duration.ofMillis(10)),
                new ShutdownInProgressException("shutdown"));
        for (ResilienceException rejection : rejections) {
            Retry retry = retry(RetryConfig.builder());
            AtomicInteger made = new AtomicInteger();
            assertThatThrownBy(() -> retry.call(() -> {
                made.incrementAndGet();
                throw rejection;
            })).isSameAs(rejection);
            assertThat(made).as(rejection.getClass().getSimpleName()).hasValue(1);
            assertThat(retry.config().isRetryable(rejection)).as(rejection.getClass().getSimpleName()).isFalse();
        }
        assertThat(clock.nanoTime()).isZero();
    }

    @Test
    void aTimedOutAttemptIsAnOrdinaryFailureAndIsRetried() {
        Retry retry = retry(RetryConfig.builder());
        TimeoutExceededException timedOut = new TimeoutExceededException("slow", Duration.ofMillis(100));

        assertThatThrownBy(() -> retry.call(() -> {
            attempts.incrementAndGet();
            throw timedOut;
        })).isSameAs(timedOut);

        assertThat(attempts).hasValue(3);
    }

    @Test
    void optingInOneKindLeavesTheOthersEndingTheRetry() {
        RetryConfig config = RetryConfig.builder().retryRejections(BulkheadFullException.class, ShutdownInProgressException.class).build();

        assertThat(config.isRetryable(new BulkheadFullException("bh", "full"))).isTrue();
        assertThat(config.isRetryable(new ShutdownInProgressException("s"))).isTrue();
        assertThat(config.isRetryable(new CallNotPermittedException("cb", CircuitBreaker.State.OPEN, 1))).isFalse();
        assertThat(config.isRetryable(RequestNotPermittedException.timedOut("rl", Duration.ZERO))).isFalse();
        assertThat(config.retryRejections()).containsExactly(BulkheadFullException.class, ShutdownInProgressException.class);
    }

    @Test
    void aRejectionNamedInRetryExceptionsIsRetried() {
        RetryConfig config = RetryConfig.builder().retryExceptions(IOException.class, CallNotPermittedException.class).build();

        assertThat(config.isRetryable(new CallNotPermittedException("cb", CircuitBreaker.State.OPEN, 1))).isTrue();
        assertThat(config.isRetryable(new BulkheadFullException("bh", "full"))).isFalse();
    }

    @Test
    void aBroadRetryExceptionDoesNotOptRejectionsIn() {
        RetryConfig config = RetryConfig.builder().retryExceptions(RuntimeException.class, ResilienceException.class).build();

        assertThat(config.isRetryable(new CallNotPermittedException("cb", CircuitBreaker.State.OPEN, 1))).isFalse();
        assertThat(config.isRetryable(new TimeoutExceededException("t", Duration.ZERO))).isTrue();
    }

    @Test
    void anIgnoredRejectionStaysIgnoredWhenOptedIn() {
        RetryConfig config = RetryConfig.builder().retryRejections(CallNotPermittedException.class)
                .ignoreExceptions(CallNotPermittedException.class).build();

        assertThat(config.isRetryable(new CallNotPermittedException("cb", CircuitBreaker.State.OPEN, 1))).isFalse();
    }

    @Test
    void retryRejectionsAcceptsOnlyRejectionKinds() {
        assertThatThrownBy(() -> RetryConfig.builder().retryRejections(TimeoutExceededException.class))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("retryRejections")
                .hasMessageContaining(TimeoutExceededException.class.getName())
                .hasMessageContaining("CallNotPermittedException");
        assertThatThrownBy(() -> RetryConfig.builder().retryRejections(ResilienceException.class))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("retryRejections");
        assertThatThrownBy(() -> RetryConfig.builder().retryRejections((Class<? extends ResilienceException>) null))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("retryRejections");
    }

    @Test
    void theDefaultRetriesNoRejectionAndToBuilderKeepsTheOptIn() {
        assertThat(RetryConfig.defaults().retryRejections()).isEmpty();
        assertThat(RetryConfig.builder().retryRejections(CallNotPermittedException.class).build().toBuilder().build()
                .retryRejections()).containsExactly(CallNotPermittedException.class);
    }
}

package dev.resilience.timeout;

import dev.resilience.Resilience;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.ManualClock;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A timeout outside a bulkhead or a retry abandons the call with its {@link TimeoutExceededException}: the policy in
 * between passes that cause on to the stage inside it (before cancelling it), so a circuit breaker further in
 * records a failure, not an ignored cancellation.
 */
class TimeoutThroughBulkheadAndRetryTest {

    private final ManualClock clock = new ManualClock();
    private final CircuitBreaker breaker = CircuitBreaker.of("inventory", CircuitBreakerConfig.defaults(), clock);
    private final Timeout timeout = Timeout.of("inventory", TimeoutConfig.builder().timeoutDuration(Duration.ofSeconds(1)).build(),
            clock, Runnable::run);

    @Test
    void aBreakerInsideABulkheadRecordsTheOuterTimeoutAsAFailure() {
        Bulkhead bulkhead = Bulkhead.of("inventory", BulkheadConfig.builder().maxConcurrentCalls(2).build(), clock);
        CompletableFuture<Object> call = new CompletableFuture<>();
        CompletableFuture<Object> result = Resilience.compose(timeout, bulkhead, breaker).callAsync(() -> call).toCompletableFuture();

        clock.advance(Duration.ofSeconds(1));

        assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutExceededException.class);
        assertThat(call).isCompletedExceptionally();
        assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
        assertThat(breaker.metrics().totalIgnoredCalls()).isZero();
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(2);
    }

    @Test
    void aBreakerInsideARetryRecordsTheOuterTimeoutAsAFailure() {
        Retry retry = Retry.of("inventory", RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofMillis(100))
                .asyncExecutor(Runnable::run).build(), clock);
        CompletableFuture<Object> call = new CompletableFuture<>();
        CompletableFuture<Object> result = Resilience.compose(timeout, retry, breaker).callAsync(() -> call).toCompletableFuture();

        clock.advance(Duration.ofSeconds(1));

        assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutExceededException.class);
        assertThat(call).isCompletedExceptionally();
        assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
        assertThat(breaker.metrics().totalIgnoredCalls()).isZero();
    }
}

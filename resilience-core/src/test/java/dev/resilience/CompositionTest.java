package dev.resilience;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.ManualClock;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompositionTest {

    private final ManualClock clock = new ManualClock();
    private final AtomicInteger runs = new AtomicInteger();

    private Retry threeAttempts() {
        // Attempts after a backoff run on the thread that advances the clock, so the test drives them.
        return Retry.of("retry", RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ZERO)
                .asyncExecutor(Runnable::run).build(), clock);
    }

    private CircuitBreaker opensAfterTwoFailures() {
        return CircuitBreaker.of("breaker", CircuitBreakerConfig.builder()
                .slidingWindowSize(2).minimumNumberOfCalls(2).failureRateThreshold(100).build(), clock);
    }

    private String failing() {
        runs.incrementAndGet();
        throw new IllegalStateException("down");
    }

    @Test
    void withNoPoliciesTheCallRunsDirectly() {
        assertThat(Resilience.compose().call(() -> "plain")).isEqualTo("plain");
    }

    @Test
    void retryOutsideTheBreakerStopsOnceTheBreakerOpens() {
        Resilience.Composition composition = Resilience.compose(threeAttempts(), opensAfterTwoFailures());
        assertThatThrownBy(() -> composition.call(this::failing)).isInstanceOf(CallNotPermittedException.class);
        assertThat(runs).hasValue(2);
    }

    @Test
    void breakerOutsideTheRetryCountsTheWholeRetriedCallOnce() {
        CircuitBreaker breaker = opensAfterTwoFailures();
        Resilience.Composition composition = Resilience.compose(breaker, threeAttempts());
        assertThatThrownBy(() -> composition.call(this::failing)).isInstanceOf(IllegalStateException.class);
        assertThat(runs).hasValue(3);
        assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void checkedExceptionsPassThroughEveryPolicyUnchanged() {
        Resilience.Composition composition = Resilience.compose(threeAttempts(),
                CircuitBreaker.of("breaker", CircuitBreakerConfig.defaults(), clock),
                Bulkhead.of("bulkhead", BulkheadConfig.defaults(), clock));
        IOException failure = new IOException("disk");
        assertThatThrownBy(() -> composition.call(() -> {
            throw failure;
        })).isSameAs(failure);
    }

    @Test
    void allFivePoliciesComposeAroundOneSuccessfulCall() {
        Bulkhead bulkhead = Bulkhead.of("bulkhead", BulkheadConfig.builder().maxConcurrentCalls(1).build(), clock);
        RateLimiter limiter = RateLimiter.of("limiter", RateLimiterConfig.builder().limitForPeriod(10).build(), clock);
        Resilience.Composition composition = Resilience.compose(threeAttempts(), opensAfterTwoFailures(), limiter,
                Timeout.of("timeout", TimeoutConfig.defaults(), clock), bulkhead);
        assertThat(composition.call(() -> {
            assertThat(bulkhead.metrics().availableConcurrentCalls()).isZero();
            return "ok";
        })).isEqualTo("ok");
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
        assertThat(limiter.metrics().availablePermissions()).isEqualTo(9);
        assertThat(composition.policies()).hasSize(5);
    }

    @Test
    void asyncCompositionRetriesAFailedStageThroughTheBreaker() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.of("breaker", CircuitBreakerConfig.defaults(), clock);
        Resilience.Composition composition = Resilience.compose(threeAttempts(), breaker);
        CompletableFuture<String> result = composition.<String>callAsync(() -> runs.incrementAndGet() < 3
                ? CompletableFuture.failedFuture(new IllegalStateException("transient"))
                : CompletableFuture.completedFuture("third time")).toCompletableFuture();
        // Backoffs are timer tasks, even zero-length ones: move the clock to run them.
        for (int i = 0; i < 10 && !result.isDone(); i++) {
            clock.advance(Duration.ofMillis(1));
        }
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("third time");
        assertThat(breaker.metrics().failedCalls()).isEqualTo(2);
        assertThat(breaker.metrics().successfulCalls()).isEqualTo(1);
    }

    @Test
    void asyncRejectionCompletesTheStageExceptionallyWithoutRunningTheCall() {
        CircuitBreaker breaker = opensAfterTwoFailures();
        breaker.transitionToForcedOpenState();
        CompletableFuture<String> result = Resilience.compose(breaker)
                .<String>callAsync(() -> {
                    runs.incrementAndGet();
                    return CompletableFuture.completedFuture("never");
                }).toCompletableFuture();
        assertThat(result).isCompletedExceptionally();
        assertThatThrownBy(result::join).hasCauseInstanceOf(CallNotPermittedException.class);
        assertThat(runs).hasValue(0);
    }
}

package dev.resilience.timeout;

import dev.resilience.Resilience;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With the timeout outside a circuit breaker, every call the timeout abandons is a failure of the breaker. */
class TimeoutAroundCircuitBreakerTest {

    private static final int CALLS = 20;

    private final ManualClock clock = new ManualClock();
    private final CircuitBreaker breaker = CircuitBreaker.of("inventory", CircuitBreakerConfig.defaults(), clock);
    private final ExecutorService others = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        others.shutdownNow();
        assertThat(others.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private Timeout timeout(boolean cancelRunningFuture) {
        return Timeout.of("inventory", TimeoutConfig.builder().timeoutDuration(Duration.ofSeconds(1))
                .cancelRunningFuture(cancelRunningFuture).build(), clock);
    }

    @Test
    void asynchronousCallsAbandonedByTheTimeoutAreFailuresOfTheBreaker() {
        Resilience.Composition composition = Resilience.compose(timeout(true), breaker);
        List<CompletableFuture<Object>> results = new ArrayList<>();
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            CompletableFuture<Object> call = new CompletableFuture<>();
            calls.add(call);
            results.add(composition.callAsync(() -> call).toCompletableFuture());
        }

        clock.advance(Duration.ofSeconds(1));

        for (CompletableFuture<Object> result : results) {
            assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutExceededException.class);
        }
        assertThat(calls).allSatisfy(call -> assertThat(call).isCompletedExceptionally());
        CircuitBreakerMetrics metrics = breaker.metrics();
        assertThat(metrics.failedCalls()).isEqualTo(CALLS);
        assertThat(metrics.totalFailedCalls()).isEqualTo(CALLS);
        assertThat(metrics.totalIgnoredCalls()).isZero();
    }

    @Test
    void anAsynchronousCallLeftRunningByTheTimeoutIsRecordedWithItsOwnOutcomeWhenItEnds() throws Exception {
        Resilience.Composition composition = Resilience.compose(timeout(false), breaker);
        CompletableFuture<Object> call = new CompletableFuture<>();
        CompletableFuture<Object> result = composition.callAsync(() -> call).toCompletableFuture();

        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutExceededException.class);
        assertThat(call).isNotDone();
        assertThat(breaker.metrics().bufferedCalls()).isZero();

        call.completeExceptionally(new IllegalStateException("failed late"));
        assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void synchronousCallsInterruptedByTheTimeoutAreFailuresOfTheBreaker() throws Exception {
        Resilience.Composition composition = Resilience.compose(timeout(true), breaker);
        for (int i = 0; i < CALLS; i++) {
            CountDownLatch started = new CountDownLatch(1);
            Future<?> timer = others.submit(() -> {
                assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
                clock.advance(Duration.ofSeconds(1));
                return null;
            });
            assertThatThrownBy(() -> composition.call(() -> {
                started.countDown();
                return new CountDownLatch(1).await(10, TimeUnit.SECONDS);
            })).isInstanceOf(TimeoutExceededException.class);
            timer.get(10, TimeUnit.SECONDS);
        }

        CircuitBreakerMetrics metrics = breaker.metrics();
        assertThat(metrics.failedCalls()).isEqualTo(CALLS);
        assertThat(metrics.totalIgnoredCalls()).isZero();
    }
}

package dev.resilience.test;

import dev.resilience.Policy;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.ManualClock;
import dev.resilience.core.Registry;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.resilience.test.ResilienceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class ResilienceResetTest {

    private final ManualClock clock = new ManualClock();

    private final Registry<CircuitBreaker, CircuitBreakerConfig> breakers = Registry.builder(CircuitBreaker.KIND,
            (String n, CircuitBreakerConfig c) -> CircuitBreaker.of(n, c, clock), CircuitBreakerConfig.builder()
                    .slidingWindowSize(2).minimumNumberOfCalls(2).build()).build();
    private final Registry<RateLimiter, RateLimiterConfig> limiters = Registry.builder("ratelimiter",
            (String n, RateLimiterConfig c) -> RateLimiter.of(n, c, clock), RateLimiterConfig.builder().limitForPeriod(2)
                    .limitRefreshPeriod(Duration.ofMinutes(1)).timeoutDuration(Duration.ZERO).build()).build();
    private final Registry<Retry, RetryConfig> retries = Registry.builder("retry",
            (String n, RetryConfig c) -> Retry.of(n, c, clock), RetryConfig.builder().waitDuration(Duration.ZERO).build())
            .build();
    private final Registry<Bulkhead, BulkheadConfig> bulkheads = Registry.builder(Bulkhead.KIND,
            (String n, BulkheadConfig c) -> Bulkhead.of(n, c, clock), BulkheadConfig.builder().maxConcurrentCalls(1)
                    .build()).build();
    private final List<Registry<? extends Policy, ?>> all = List.of(breakers, limiters, retries, bulkheads);

    @Test
    void resetAllClosesBreakersRefillsLimitersAndClearsRetries() throws Throwable {
        CircuitBreaker breaker = breakers.get("inventory");
        for (int i = 0; i < 2; i++) {
            catchThrowable(() -> breaker.call(() -> {
                throw new IOException("down");
            }));
        }
        RateLimiter limiter = limiters.get("orders");
        limiter.acquirePermission();
        limiter.acquirePermission();
        Retry retry = retries.get("shipping");
        retry.call(() -> "ok");
        assertThat(breaker).isOpen();
        assertThat(limiter).isExhausted();

        ResilienceReset.resetAll(all);

        assertThat(breaker).isClosed().hasBufferedCalls(0).hasNotPermittedCalls(0);
        assertThat(limiter).hasAvailablePermissions(2);
        assertThat(retry).hasSuccessfulCallsWithoutRetry(0);
    }

    @Test
    void awaitBulkheadsEmptyFailsNamingABulkheadWhosePermitIsStillHeld() {
        Bulkhead.Permit permit = bulkheads.get("inventory").tryAcquire();

        assertThatThrownBy(() -> ResilienceReset.awaitBulkheadsEmpty(all, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("bulkhead 'inventory' (1 permits held, 0 waiting)");
        permit.release();
    }

    @Test
    void awaitBulkheadsEmptyWaitsForACallThatFinishesWithinTheGrace() throws Exception {
        Bulkhead bulkhead = bulkheads.get("inventory");
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> bulkhead.call(() -> {
            running.countDown();
            return awaitQuietly(finish) ? "done" : "not released";
        }));
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> waited = CompletableFuture.runAsync(
                () -> ResilienceReset.awaitBulkheadsEmpty(all, Duration.ofSeconds(10)));
        finish.countDown();

        waited.get(10, TimeUnit.SECONDS);
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(bulkhead).isEmpty();
    }

    @Test
    void emptyBulkheadsPassAtOnce() {
        bulkheads.get("inventory").call(() -> "done");

        ResilienceReset.awaitBulkheadsEmpty(all, Duration.ZERO);
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package dev.resilience;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.ManualClock;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import dev.resilience.timeout.TimeoutExceededException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every rejection describes itself through {@link ResilienceException}: the policy kind that raised it, how long
 * until a call may be admitted where the policy knows, and whether the call was run at all. Read here only
 * through the base class, as the code that maps rejections reads them.
 */
class RejectionDescriptionTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void anOpenBreakerTellsTheRemainingOpenWait() {
        CircuitBreaker breaker = CircuitBreaker.of("inventory", CircuitBreakerConfig.builder()
                .waitDurationInOpenState(Duration.ofSeconds(10)).build(), clock);
        breaker.transitionToOpenState();
        clock.advance(Duration.ofMillis(3250));

        ResilienceException rejection = catchThrowableOfType(CallNotPermittedException.class,
                () -> breaker.call(() -> "stock"));

        assertThat(rejection.kind()).isEqualTo("circuitbreaker").isEqualTo(breaker.kind());
        assertThat(rejection.retryAfter()).contains(Duration.ofMillis(6750));
        assertThat(rejection.isRejection()).isTrue();
        assertThat(rejection.instanceName()).isEqualTo("inventory");
    }

    @Test
    void aForcedOpenBreakerKnowsNoWait() {
        CircuitBreaker breaker = CircuitBreaker.of("inventory", CircuitBreakerConfig.defaults(), clock);
        breaker.transitionToForcedOpenState();

        ResilienceException rejection = catchThrowableOfType(CallNotPermittedException.class,
                () -> breaker.call(() -> "stock"));

        assertThat(rejection.kind()).isEqualTo("circuitbreaker");
        assertThat(rejection.retryAfter()).isEmpty();
        assertThat(rejection.isRejection()).isTrue();
    }

    @Test
    void aRateLimitTellsTheWaitForTheNextPeriod() {
        RateLimiter limiter = RateLimiter.of("search", RateLimiterConfig.builder().limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build(), clock);
        clock.advance(Duration.ofMillis(200));
        assertThat(limiter.acquirePermission()).isTrue();
        clock.advance(Duration.ofMillis(250));

        ResilienceException rejection = catchThrowableOfType(RequestNotPermittedException.class,
                () -> limiter.call(() -> "hits"));

        assertThat(rejection.kind()).isEqualTo("ratelimiter").isEqualTo(limiter.kind());
        assertThat(rejection.retryAfter()).contains(Duration.ofMillis(550));
        assertThat(rejection.isRejection()).isTrue();
        assertThat(rejection.instanceName()).isEqualTo("search");
    }

    @Test
    void aRateLimitRejectionOfAnInterruptedCallerKnowsNoWait() {
        ResilienceException rejection = RequestNotPermittedException.interrupted("search");

        assertThat(rejection.kind()).isEqualTo("ratelimiter");
        assertThat(rejection.retryAfter()).isEmpty();
        assertThat(rejection.isRejection()).isTrue();
    }

    @Test
    void aRateLimitWaitGivenInNanosecondsIsTheSameAsOneGivenAsADuration() {
        ResilienceException fromNanos = new RequestNotPermittedException("search", "no permit", 1_500_000L);
        ResilienceException fromDuration = new RequestNotPermittedException("search", "no permit",
                Duration.ofNanos(1_500_000L));
        ResilienceException unknown = new RequestNotPermittedException("search", "no permit", -1L);

        assertThat(fromNanos.retryAfter()).contains(Duration.ofNanos(1_500_000L));
        assertThat(fromDuration.retryAfter()).isEqualTo(fromNanos.retryAfter());
        assertThat(unknown.retryAfter()).isEmpty();
    }

    @Test
    void aRateLimitWaitTooLongForNanosecondsSaturates() {
        ResilienceException rejection = new RequestNotPermittedException("search", "no permit",
                Duration.ofSeconds(Long.MAX_VALUE));

        assertThat(rejection.retryAfter()).contains(Duration.ofNanos(Long.MAX_VALUE));
    }

    @Test
    void aFullBulkheadKnowsNoWait() {
        Bulkhead bulkhead = Bulkhead.of("orders", BulkheadConfig.builder().maxConcurrentCalls(1)
                .maxWaitDuration(Duration.ZERO).build(), clock);

        ResilienceException rejection = catchThrowableOfType(BulkheadFullException.class,
                () -> bulkhead.call(() -> bulkhead.call(() -> "nested")));

        assertThat(rejection.kind()).isEqualTo("bulkhead").isEqualTo(bulkhead.kind());
        assertThat(rejection.retryAfter()).isEmpty();
        assertThat(rejection.isRejection()).isTrue();
        assertThat(rejection.instanceName()).isEqualTo("orders");
    }

    @Test
    void aFullThreadPoolBulkheadNamesItsKind() throws Exception {
        ThreadPoolBulkhead pool = ThreadPoolBulkhead.of("reports", dev.resilience.bulkhead.ThreadPoolBulkheadConfig.builder()
                .coreThreadPoolSize(1).maxThreadPoolSize(1).queueCapacity(1).build());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.function.Supplier<CompletableFuture<String>> blocking = () -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CompletableFuture.completedFuture("done");
        };
        try {
            pool.callAsync(blocking);  // holds the one thread
            pool.callAsync(blocking);  // fills the queue

            CompletableFuture<String> third = pool.callAsync(() -> CompletableFuture.completedFuture("never")).toCompletableFuture();

            ExecutionException failure = catchThrowableOfType(ExecutionException.class, () -> third.get(10, TimeUnit.SECONDS));
            ResilienceException rejection = (ResilienceException) failure.getCause();
            assertThat(rejection).isInstanceOf(BulkheadFullException.class);
            assertThat(rejection.kind()).isEqualTo("thread-pool-bulkhead").isEqualTo(pool.kind());
            assertThat(rejection.retryAfter()).isEmpty();
            assertThat(rejection.isRejection()).isTrue();
        } finally {
            release.countDown();
            pool.shutdown();
        }
    }

    @Test
    void aBulkheadRejectionNamesOnlyABulkheadKind() {
        ResilienceException rejection = new BulkheadFullException("reports", "queue full", ThreadPoolBulkhead.KIND);

        assertThat(rejection.kind()).isEqualTo("thread-pool-bulkhead");
    }

    @Test
    void aBulkheadRejectionAcceptsOnlyABulkheadKind() {
        assertThatThrownBy(() -> new BulkheadFullException("reports", "full", "ratelimiter"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kind must be 'bulkhead' or 'thread-pool-bulkhead', but was 'ratelimiter'");
    }

    @Test
    void aShutdownIsARejectionOfItsOwnKind() {
        ResilienceException rejection = new ShutdownInProgressException("reports");

        assertThat(rejection.kind()).isEqualTo("shutdown").isEqualTo(ShutdownInProgressException.KIND);
        assertThat(rejection.retryAfter()).isEmpty();
        assertThat(rejection.isRejection()).isTrue();
    }

    @Test
    void aTimeoutIsNotARejection() throws Exception {
        Timeout timeout = Timeout.of("pricing", TimeoutConfig.builder()
                .timeoutDuration(Duration.ofMillis(300)).build(), clock);
        CompletableFuture<String> result = timeout.callAsync(CompletableFuture<String>::new).toCompletableFuture();

        clock.advance(Duration.ofMillis(300));

        ExecutionException failed = catchThrowableOfType(ExecutionException.class,
                () -> result.get(10, TimeUnit.SECONDS));
        assertThat(failed.getCause()).isInstanceOf(TimeoutExceededException.class);
        ResilienceException exceeded = (ResilienceException) failed.getCause();
        assertThat(exceeded.kind()).isEqualTo("timeout").isEqualTo(timeout.kind());
        assertThat(exceeded.retryAfter()).isEmpty();
        assertThat(exceeded.isRejection()).isFalse();
        assertThat(exceeded.instanceName()).isEqualTo("pricing");
    }
}

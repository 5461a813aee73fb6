package dev.resilience.test.junit;

import dev.resilience.core.ManualClock;
import dev.resilience.core.Registry;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import dev.resilience.timeout.TimeoutExceededException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.resilience.test.ResilienceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** Each registry the extension offers builds instances that read the test's clock, not the system's. */
@ResilienceCoreTest
class RegistriesOnTheInjectedClockTest {

    @Test
    void aRateLimiterOfTheRegistryOpensItsNextPeriodWhenTheClockIsAdvanced(ManualClock clock,
            Registry<RateLimiter, RateLimiterConfig> limiters) {
        RateLimiter limiter = limiters.get("orders", RateLimiterConfig.builder().limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofMinutes(1)).timeoutDuration(Duration.ZERO).build());
        assertThat(limiter.acquirePermission()).isTrue();
        assertThat(limiter.acquirePermission()).isFalse();

        clock.advance(Duration.ofMinutes(1));

        assertThat(limiter.acquirePermission()).isTrue();
    }

    @Test
    void aRetryOfTheRegistryWaitsItsBackoffOnTheClock(ManualClock clock, Registry<Retry, RetryConfig> retries)
            throws IOException {
        Retry retry = retries.get("shipping", RetryConfig.builder().maxAttempts(2)
                .waitDuration(Duration.ofSeconds(3)).build());
        AtomicInteger attempts = new AtomicInteger();

        String result = retry.call(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IOException("flaky");
            }
            return "shipped";
        });

        assertThat(result).isEqualTo("shipped");
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofSeconds(3).toNanos());
        assertThat(retry).hasSuccessfulCallsWithRetry(1);
    }

    @Test
    void aTimeoutOfTheRegistryFiresWhenTheClockReachesItsDeadline(ManualClock clock,
            Registry<Timeout, TimeoutConfig> timeouts) {
        Timeout timeout = timeouts.get("slow", TimeoutConfig.builder().timeoutDuration(Duration.ofSeconds(1)).build());
        CompletableFuture<String> call = timeout.callAsync(CompletableFuture<String>::new).toCompletableFuture();

        clock.advance(Duration.ofMillis(999));
        assertThat(call).isNotDone();

        clock.advance(Duration.ofMillis(1));
        assertThat(call).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .withCauseInstanceOf(TimeoutExceededException.class);
    }
}

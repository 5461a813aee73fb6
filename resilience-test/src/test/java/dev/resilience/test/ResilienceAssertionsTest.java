package dev.resilience.test;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.ManualClock;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.resilience.circuitbreaker.CircuitBreaker.State.CLOSED;
import static dev.resilience.circuitbreaker.CircuitBreaker.State.HALF_OPEN;
import static dev.resilience.circuitbreaker.CircuitBreaker.State.OPEN;
import static dev.resilience.test.ResilienceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class ResilienceAssertionsTest {

    private final ManualClock clock = new ManualClock();

    private final CircuitBreaker breaker = CircuitBreaker.of("inventory", CircuitBreakerConfig.builder()
            .slidingWindowSize(4).minimumNumberOfCalls(4).failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(5)).build(), clock);

    private void record(int failures, int successes) {
        for (int i = 0; i < failures; i++) {
            catchThrowable(() -> breaker.call(() -> {
                throw new IOException("down");
            }));
        }
        for (int i = 0; i < successes; i++) {
            breaker.call(() -> "ok");
        }
    }

    @Test
    void aBreakerOpenedByHalfItsCallsFailingIsOpenWithAFiftyPercentFailureRate() {
        record(2, 2);

        assertThat(breaker).isOpen().hasFailureRate(50).hasBufferedCalls(4).hasFailedCalls(2);
    }

    @Test
    void aStateAssertionFailsNamingTheBreakerAndBothStates() {
        assertThatThrownBy(() -> assertThat(breaker).isOpen())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("'inventory'").hasMessageContaining("OPEN").hasMessageContaining("CLOSED");
    }

    @Test
    void aFailureRateAssertionFailsWithTheActualRate() {
        record(1, 3);

        assertThatThrownBy(() -> assertThat(breaker).hasFailureRate(50)).hasMessageContaining("25.0 %");
    }

    @Test
    void theFailureRateIsMinusOneBelowTheMinimumNumberOfCalls() {
        record(1, 0);

        assertThat(breaker).isClosed().hasFailureRate(-1);
    }

    @Test
    void recordedEventsShowTheBreakersTransitions() {
        try (RecordedEvents events = RecordedEvents.of(breaker)) {
            record(4, 0);
            clock.advance(Duration.ofSeconds(5));
            breaker.call(() -> "trial");

            assertThat(events).containsTransition(CLOSED, OPEN).containsTransition("inventory", OPEN, HALF_OPEN);
            assertThat(events.transitions("inventory")).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN");
            assertThatThrownBy(() -> assertThat(events).containsTransition(HALF_OPEN, CLOSED))
                    .hasMessageContaining("HALF_OPEN->CLOSED").hasMessageContaining("CLOSED->OPEN");
        }
    }

    @Test
    void noTransitionAndNoEventsAreAssertable() {
        try (RecordedEvents events = RecordedEvents.of(breaker)) {
            assertThat(events).isEmpty().hasNoTransition();
            breaker.call(() -> "ok");

            assertThat(events).hasNoTransition().containsEvent("circuitbreaker", "inventory", "SUCCESS");
            assertThatThrownBy(() -> assertThat(events).isEmpty()).isInstanceOf(AssertionError.class);
        }
    }

    @Test
    void retryCountersAreAssertable() throws Throwable {
        Retry retry = Retry.of("shipping", RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ZERO).build(), clock);
        AtomicInteger attempts = new AtomicInteger();
        retry.call(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IOException("transient");
            }
            return "ok";
        });
        retry.call(() -> "ok");

        assertThat(retry).hasSuccessfulCallsWithRetry(1).hasSuccessfulCallsWithoutRetry(1).hasFailedCallsWithRetry(0)
                .hasFailedCallsWithoutRetry(0).hasRetriesRefusedByBudget(0);
        assertThatThrownBy(() -> assertThat(retry).hasSuccessfulCallsWithRetry(2))
                .hasMessageContaining("'shipping'").hasMessageContaining("successful calls with retry");
    }

    @Test
    void rateLimiterPermitsAreAssertable() {
        RateLimiter limiter = RateLimiter.of("orders", RateLimiterConfig.builder().limitForPeriod(2)
                .limitRefreshPeriod(Duration.ofMinutes(1)).timeoutDuration(Duration.ZERO).build(), clock);
        assertThat(limiter).hasAvailablePermissions(2);

        limiter.acquirePermission();
        limiter.acquirePermission();

        assertThat(limiter).isExhausted();
        assertThatThrownBy(() -> assertThat(limiter).hasAvailablePermissions(2)).hasMessageContaining("'orders'");
    }

    @Test
    void bulkheadPermitsAreAssertable() {
        Bulkhead bulkhead = Bulkhead.of("inventory", BulkheadConfig.builder().maxConcurrentCalls(1).build(), clock);
        assertThat(bulkhead).isEmpty().hasAvailableConcurrentCalls(1);

        Bulkhead.Permit permit = bulkhead.tryAcquire();
        assertThat(permit).isNotNull();

        assertThat(bulkhead).isFull();
        assertThatThrownBy(() -> assertThat(bulkhead).isEmpty()).hasMessageContaining("'inventory'");
        permit.release();
        assertThat(bulkhead).isEmpty();
    }
}

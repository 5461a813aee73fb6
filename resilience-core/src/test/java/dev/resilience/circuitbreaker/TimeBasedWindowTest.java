package dev.resilience.circuitbreaker;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.resilience.circuitbreaker.CircuitBreakerStateTest.fail;
import static dev.resilience.circuitbreaker.CircuitBreakerStateTest.succeed;
import static org.assertj.core.api.Assertions.assertThat;

class TimeBasedWindowTest {

    private final ManualClock clock = new ManualClock();

    private CircuitBreaker breaker(int seconds, int minimumCalls) {
        return CircuitBreaker.of("search", CircuitBreakerConfig.builder().slidingWindowType(SlidingWindowType.TIME_BASED)
                .slidingWindowSize(seconds).minimumNumberOfCalls(minimumCalls).failureRateThreshold(50)
                .slowCallDurationThreshold(Duration.ZERO).build(), clock);
    }

    @Test
    void countsEveryCallOfTheLastSeconds() {
        CircuitBreaker cb = breaker(3, 100);
        for (int i = 0; i < 5; i++) {
            succeed(cb);
        }
        clock.advance(Duration.ofSeconds(1));
        fail(cb);
        clock.advance(Duration.ofSeconds(1));
        fail(cb);
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(7);
        assertThat(cb.metrics().failedCalls()).isEqualTo(2);
    }

    @Test
    void bucketsExpireWhenTheirSecondLeavesTheWindow() {
        CircuitBreaker cb = breaker(3, 100);
        succeed(cb);
        clock.advance(Duration.ofSeconds(1));
        fail(cb);
        clock.advance(Duration.ofMillis(1999));
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(2);
        clock.advance(Duration.ofMillis(1)); // second 3: second 0 falls out
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(1);
        assertThat(cb.metrics().failedCalls()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(cb.metrics().bufferedCalls()).isZero();
    }

    @Test
    void aLongPauseEmptiesTheWholeWindow() {
        CircuitBreaker cb = breaker(5, 100);
        for (int i = 0; i < 5; i++) {
            fail(cb);
            clock.advance(Duration.ofSeconds(1));
        }
        clock.advance(Duration.ofHours(2));
        succeed(cb);
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(1);
        assertThat(cb.metrics().failedCalls()).isZero();
    }

    @Test
    void opensOnFailureRateWithinTheWindow() {
        CircuitBreaker cb = breaker(10, 4);
        succeed(cb);
        succeed(cb);
        clock.advance(Duration.ofSeconds(5));
        fail(cb);
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        fail(cb);
        assertThat(cb.state()).isEqualTo(State.OPEN);
    }

    @Test
    void oldSuccessesThatExpiredNoLongerDiluteTheFailureRate() {
        CircuitBreaker cb = breaker(2, 2);
        succeed(cb);
        succeed(cb);
        succeed(cb);
        clock.advance(Duration.ofSeconds(2));
        fail(cb);
        assertThat(cb.state()).isEqualTo(State.CLOSED); // 1 call < minimum 2
        fail(cb);
        assertThat(cb.state()).isEqualTo(State.OPEN);
    }

    @Test
    void clockGoingBackwardsCountsIntoTheLatestSecond() {
        CircuitBreaker cb = breaker(3, 100);
        clock.advance(Duration.ofSeconds(10));
        fail(cb);
        clock.setNanoTime(Duration.ofSeconds(2).toNanos());
        succeed(cb);
        succeed(cb);
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(3);
        clock.setNanoTime(Duration.ofSeconds(12).toNanos()); // seconds 10, 11, 12 still in the window
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(3);
        clock.setNanoTime(Duration.ofSeconds(13).toNanos());
        assertThat(cb.metrics().bufferedCalls()).isZero();
    }

    @Test
    void clockBeforeCreationIsTreatedAsTheFirstSecond() {
        clock.setNanoTime(Duration.ofSeconds(100).toNanos());
        CircuitBreaker cb = breaker(3, 100);
        clock.setNanoTime(0);
        succeed(cb);
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(1);
    }

    @Test
    void minimumNumberOfCallsIsNotCappedBySecondsInTheWindow() {
        CircuitBreaker cb = breaker(2, 5);
        for (int i = 0; i < 4; i++) {
            fail(cb);
        }
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        assertThat(cb.metrics().failureRate()).isEqualTo(-1f);
        fail(cb);
        assertThat(cb.state()).isEqualTo(State.OPEN);
    }
}

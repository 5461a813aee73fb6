package dev.resilience.circuitbreaker;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Durations longer than a {@code long} of nanoseconds can hold (about 292 years) are accepted by the builder and mean
 * "practically forever" at run time: nothing overflows, and no timer is kept that could never fire.
 */
class CircuitBreakerLongDurationTest {

    private static final Duration THOUSAND_YEARS = Duration.ofDays(365_250);
    private static final Duration CENTURY = Duration.ofDays(36_525);

    private final ManualClock clock = new ManualClock();

    private static CircuitBreakerConfig.Builder config() {
        return CircuitBreakerConfig.builder().slidingWindowSize(2).minimumNumberOfCalls(2)
                .permittedNumberOfCallsInHalfOpenState(1);
    }

    @Test
    void aThousandYearOpenStateWaitKeepsTheBreakerOpen() {
        CircuitBreaker cb = CircuitBreaker.of("archive", config().waitDurationInOpenState(THOUSAND_YEARS).build(), clock);
        cb.transitionToOpenState();
        clock.advance(CENTURY);
        assertThatThrownBy(() -> cb.call(() -> "x")).isInstanceOfSatisfying(CallNotPermittedException.class,
                e -> assertThat(e.retryAfter()).hasValueSatisfying(d -> assertThat(d).isGreaterThan(CENTURY)));
        assertThat(cb.state()).isEqualTo(State.OPEN);
    }

    @Test
    void aThousandYearOpenStateWaitWithAutomaticTransitionSchedulesNoTimer() {
        CircuitBreaker cb = CircuitBreaker.of("archive", config().waitDurationInOpenState(THOUSAND_YEARS)
                .automaticTransitionFromOpenToHalfOpenEnabled(true).build(), clock);
        cb.transitionToOpenState();
        assertThat(clock.pendingTasks()).isZero();
        clock.advance(CENTURY);
        assertThat(cb.state()).isEqualTo(State.OPEN);
    }

    @Test
    void aThousandYearSlowCallThresholdMakesNoCallSlow() {
        CircuitBreaker cb = CircuitBreaker.of("archive", config().slowCallDurationThreshold(THOUSAND_YEARS).build(), clock);
        for (int i = 0; i < 2; i++) {
            cb.call(() -> {
                clock.advance(CENTURY);
                return "done";
            });
        }
        assertThat(cb.metrics().slowCalls()).isZero();
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(2);
        assertThat(cb.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void aThousandYearHalfOpenLimitKeepsTheBreakerHalfOpenWithoutATimer() {
        CircuitBreaker cb = CircuitBreaker.of("archive", config().maxWaitDurationInHalfOpenState(THOUSAND_YEARS)
                .build(), clock);
        cb.transitionToHalfOpenState();
        assertThat(clock.pendingTasks()).isZero();
        clock.advance(CENTURY);
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        assertThat(cb.<String, RuntimeException>call(() -> "ok")).isEqualTo("ok"); // the trial is still admitted
        assertThat(cb.state()).isEqualTo(State.CLOSED);
    }
}

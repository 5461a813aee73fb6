package dev.resilience.circuitbreaker;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The open-state wait: growing by a multiplier with each opening in a row, up to a maximum, back to the base once
 * CLOSED; and an operator's opening for a given time.
 */
class CircuitBreakerOpenWaitTest {

    private final ManualClock clock = new ManualClock();

    /** Opens on one failure; one trial call in HALF_OPEN. */
    private static CircuitBreakerConfig.Builder oneCall() {
        return CircuitBreakerConfig.builder().slidingWindowSize(1).minimumNumberOfCalls(1)
                .slowCallDurationThreshold(Duration.ZERO).waitDurationInOpenState(Duration.ofSeconds(10))
                .permittedNumberOfCallsInHalfOpenState(1);
    }

    private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
        return CircuitBreaker.of("inventory", config.build(), clock);
    }

    private static void fail(CircuitBreaker cb) {
        assertThatThrownBy(() -> cb.call(() -> {
            throw new IOException("boom");
        })).isInstanceOf(IOException.class);
    }

    private static void succeed(CircuitBreaker cb) {
        assertThat(cb.<String, RuntimeException>call(() -> "ok")).isEqualTo("ok");
    }

    /** @return the wait a rejected call is told, right now */
    private static Duration retryAfter(CircuitBreaker cb) {
        try {
            cb.call(() -> "should not run");
        } catch (CallNotPermittedException e) {
            return e.retryAfter().orElseThrow();
        }
        throw new AssertionError("the call was permitted in " + cb.state());
    }

    /** Waits out the current opening (checking it lasts exactly {@code expected}) and fails the trial call. */
    private void waitOutAndFailTrial(CircuitBreaker cb, Duration expected) {
        assertThat(retryAfter(cb)).isEqualTo(expected);
        clock.advance(expected.minusNanos(1));
        assertThat(retryAfter(cb)).isEqualTo(Duration.ofNanos(1));
        clock.advanceNanos(1);
        fail(cb); // the trial
        assertThat(cb.state()).isEqualTo(State.OPEN);
    }

    @Test
    void byDefaultEveryOpeningWaitsTheSame() {
        CircuitBreakerConfig defaults = CircuitBreakerConfig.defaults();
        assertThat(defaults.waitDurationInOpenStateMultiplier()).isEqualTo(1.0);
        assertThat(defaults.maxWaitDurationInOpenState()).isEmpty();
        CircuitBreaker cb = breaker(oneCall());
        fail(cb);
        for (int i = 0; i < 5; i++) {
            waitOutAndFailTrial(cb, Duration.ofSeconds(10));
        }
    }

    @Test
    void eachFailedTrialMultipliesTheWaitUpToTheMaximum() {
        CircuitBreaker cb = breaker(oneCall().waitDurationInOpenStateMultiplier(2)
                .maxWaitDurationInOpenState(Duration.ofSeconds(70)));
        fail(cb);
        waitOutAndFailTrial(cb, Duration.ofSeconds(10));
        waitOutAndFailTrial(cb, Duration.ofSeconds(20));
        waitOutAndFailTrial(cb, Duration.ofSeconds(40));
        waitOutAndFailTrial(cb, Duration.ofSeconds(70));
        waitOutAndFailTrial(cb, Duration.ofSeconds(70));
        assertThat(retryAfter(cb)).isEqualTo(Duration.ofSeconds(70));
    }

    @Test
    void aFractionalMultiplierGrowsTheWaitByThatFactor() {
        CircuitBreaker cb = breaker(oneCall().waitDurationInOpenStateMultiplier(1.5));
        fail(cb);
        waitOutAndFailTrial(cb, Duration.ofSeconds(10));
        waitOutAndFailTrial(cb, Duration.ofSeconds(15));
        waitOutAndFailTrial(cb, Duration.ofMillis(22_500));
        assertThat(retryAfter(cb)).isEqualTo(Duration.ofMillis(33_750));
    }

    @Test
    void reachingClosedStartsAgainFromTheBaseWait() {
        CircuitBreaker cb = breaker(oneCall().waitDurationInOpenStateMultiplier(3));
        fail(cb);
        waitOutAndFailTrial(cb, Duration.ofSeconds(10));
        assertThat(retryAfter(cb)).isEqualTo(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        succeed(cb); // the trial succeeds
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        fail(cb);
        assertThat(retryAfter(cb)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aResetStartsAgainFromTheBaseWait() {
        CircuitBreaker cb = breaker(oneCall().waitDurationInOpenStateMultiplier(3));
        fail(cb);
        waitOutAndFailTrial(cb, Duration.ofSeconds(10));
        cb.reset();
        fail(cb);
        assertThat(retryAfter(cb)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aHalfOpenStateThatTimesOutAlsoGrowsTheWait() {
        CircuitBreaker cb = breaker(oneCall().waitDurationInOpenStateMultiplier(2)
                .maxWaitDurationInHalfOpenState(Duration.ofSeconds(5)));
        fail(cb);
        clock.advance(Duration.ofSeconds(10));
        cb.transitionToHalfOpenState();
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        clock.advance(Duration.ofSeconds(5)); // no trial came back in time
        assertThat(cb.state()).isEqualTo(State.OPEN);
        assertThat(retryAfter(cb)).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void theAutomaticTransitionWaitsTheGrownWait() {
        CircuitBreaker cb = breaker(oneCall().waitDurationInOpenStateMultiplier(2)
                .automaticTransitionFromOpenToHalfOpenEnabled(true));
        fail(cb);
        clock.advance(Duration.ofSeconds(10));
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        fail(cb);
        clock.advance(Duration.ofSeconds(20).minusNanos(1));
        assertThat(cb.state()).isEqualTo(State.OPEN);
        clock.advanceNanos(1);
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
    }

    @Test
    void aWaitGrownPastALongOfNanosecondsSaturatesToForEver() {
        CircuitBreaker cb = breaker(oneCall().waitDurationInOpenState(Duration.ofDays(1))
                .waitDurationInOpenStateMultiplier(1e6).automaticTransitionFromOpenToHalfOpenEnabled(true));
        fail(cb);
        clock.advance(Duration.ofDays(1));
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        fail(cb); // the second opening would wait a million days: more than a long of nanoseconds holds
        assertThat(clock.pendingTasks()).as("no timer for a wait that never ends").isZero();
        assertThat(retryAfter(cb)).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
        clock.advance(Duration.ofDays(100 * 365));
        assertThat(retryAfter(cb)).isPositive();
        assertThat(cb.state()).isEqualTo(State.OPEN);
    }

    @Test
    void aManyTimesFailedBreakerStaysAtTheMaximum() {
        CircuitBreaker cb = breaker(oneCall().waitDurationInOpenStateMultiplier(10)
                .maxWaitDurationInOpenState(Duration.ofMinutes(5)));
        fail(cb);
        for (int i = 0; i < 40; i++) { // 10^39 times the base wait, far past any long
            clock.advance(retryAfter(cb));
            fail(cb);
        }
        assertThat(retryAfter(cb)).isEqualTo(Duration.ofMinutes(5));
    }

    // ---------------------------------------------------------------- validation

    @Test
    void aMultiplierBelowOneIsRejected() {
        assertThatThrownBy(() -> CircuitBreakerConfig.builder().waitDurationInOpenStateMultiplier(0.99))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("waitDurationInOpenStateMultiplier").hasMessageContaining("at least 1");
    }

    @Test
    void aMultiplierThatIsNotANumberOrInfiniteIsRejected() {
        assertThatThrownBy(() -> CircuitBreakerConfig.builder().waitDurationInOpenStateMultiplier(Double.NaN))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("waitDurationInOpenStateMultiplier");
        assertThatThrownBy(() -> CircuitBreakerConfig.builder().waitDurationInOpenStateMultiplier(Double.POSITIVE_INFINITY))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("finite");
    }

    @Test
    void aZeroOrNegativeMaximumIsRejected() {
        assertThatThrownBy(() -> CircuitBreakerConfig.builder().maxWaitDurationInOpenState(Duration.ZERO))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("maxWaitDurationInOpenState");
        assertThatThrownBy(() -> CircuitBreakerConfig.builder().maxWaitDurationInOpenState(Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("positive");
    }

    @Test
    void aMaximumShorterThanTheWaitIsRejectedWhenBuilt() {
        CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.builder()
                .maxWaitDurationInOpenState(Duration.ofSeconds(30)).waitDurationInOpenState(Duration.ofSeconds(31));
        assertThatThrownBy(builder::build).isInstanceOfSatisfying(InvalidConfigException.class,
                e -> assertThat(e.setting()).isEqualTo("maxWaitDurationInOpenState"))
                .hasMessageContaining("at least waitDurationInOpenState (PT31S)");
    }

    @Test
    void aMaximumEqualToTheWaitIsAccepted() {
        CircuitBreakerConfig config = CircuitBreakerConfig.builder().waitDurationInOpenState(Duration.ofSeconds(30))
                .maxWaitDurationInOpenState(Duration.ofSeconds(30)).waitDurationInOpenStateMultiplier(2).build();
        assertThat(config.maxWaitDurationInOpenState()).contains(Duration.ofSeconds(30));
        assertThat(config.toBuilder().build().waitDurationInOpenStateMultiplier()).isEqualTo(2.0);
        assertThat(config.toBuilder().maxWaitDurationInOpenState(null).build().maxWaitDurationInOpenState()).isEmpty();
    }

    // ---------------------------------------------------------------- transitionToOpenStateFor

    @Test
    void anOperatorOpensForTheGivenTimeThenTheUsualHalfOpenFollows() {
        CircuitBreaker cb = breaker(oneCall());
        cb.transitionToOpenStateFor(Duration.ofMinutes(3));
        assertThat(cb.state()).isEqualTo(State.OPEN);
        assertThat(retryAfter(cb)).isEqualTo(Duration.ofMinutes(3));
        clock.advance(Duration.ofMinutes(3));
        succeed(cb); // the trial call
        assertThat(cb.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void anOperatorsOpeningUsesTheAutomaticTimer() {
        CircuitBreaker cb = breaker(oneCall().automaticTransitionFromOpenToHalfOpenEnabled(true));
        cb.transitionToOpenStateFor(Duration.ofSeconds(3));
        clock.advance(Duration.ofSeconds(3).minusNanos(1));
        assertThat(cb.state()).isEqualTo(State.OPEN);
        clock.advanceNanos(1);
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
    }

    @Test
    void anOperatorsOpeningOfAnOpenBreakerRestartsItsWaitAndIsPublished() {
        CircuitBreaker cb = breaker(oneCall().automaticTransitionFromOpenToHalfOpenEnabled(true));
        List<Map<String, Object>> transitions = new ArrayList<>();
        cb.events().subscribe(e -> {
            if (e.eventType() == CircuitBreakerEvent.Type.STATE_TRANSITION) {
                transitions.add(e.details());
            }
        });
        fail(cb);
        clock.advance(Duration.ofSeconds(9));
        cb.transitionToOpenStateFor(Duration.ofHours(1));
        assertThat(retryAfter(cb)).isEqualTo(Duration.ofHours(1));
        clock.advance(Duration.ofSeconds(1)); // the first opening's timer must not fire any more
        assertThat(cb.state()).isEqualTo(State.OPEN);
        assertThat(clock.pendingTasks()).isEqualTo(1);
        assertThat(transitions).containsExactly(Map.of("from", "CLOSED", "to", "OPEN"), Map.of("from", "OPEN", "to", "OPEN"));
    }

    @Test
    void anOperatorsOpeningCountsInTheRowOfOpenings() {
        CircuitBreaker cb = breaker(oneCall().waitDurationInOpenStateMultiplier(2));
        fail(cb);                                    // opening 1: 10 s
        clock.advance(Duration.ofSeconds(10));
        cb.transitionToHalfOpenState();
        cb.transitionToOpenStateFor(Duration.ofSeconds(1)); // opening 2, from HALF_OPEN, for 1 s
        assertThat(retryAfter(cb)).isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        fail(cb);                                    // its trial fails: opening 3 waits 10 s * 2^2
        assertThat(retryAfter(cb)).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void anOperatorsOpeningOfAClosedBreakerStartsANewRow() {
        CircuitBreaker cb = breaker(oneCall().waitDurationInOpenStateMultiplier(2));
        cb.transitionToOpenStateFor(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        fail(cb); // the trial fails: opening 2
        assertThat(retryAfter(cb)).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void anOperatorsOpeningForLongerThanALongOfNanosecondsLastsForEver() {
        CircuitBreaker cb = breaker(oneCall().automaticTransitionFromOpenToHalfOpenEnabled(true));
        cb.transitionToOpenStateFor(Duration.ofSeconds(Long.MAX_VALUE));
        assertThat(clock.pendingTasks()).isZero();
        clock.advance(Duration.ofDays(200 * 365));
        assertThat(retryAfter(cb)).isPositive();
        assertThat(cb.state()).isEqualTo(State.OPEN);
    }

    @Test
    void anOperatorsOpeningNeedsAPositiveDuration() {
        CircuitBreaker cb = breaker(oneCall());
        assertThatThrownBy(() -> cb.transitionToOpenStateFor(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> cb.transitionToOpenStateFor(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cb.transitionToOpenStateFor(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(cb.state()).isEqualTo(State.CLOSED);
    }
}

package dev.resilience.circuitbreaker;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CircuitBreakerStateTest {

    private final ManualClock clock = new ManualClock();

    private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
        return CircuitBreaker.of("inventory", config.build(), clock);
    }

    private static CircuitBreakerConfig.Builder small() {
        return CircuitBreakerConfig.builder().slidingWindowSize(4).minimumNumberOfCalls(4).failureRateThreshold(50)
                .slowCallDurationThreshold(Duration.ZERO).waitDurationInOpenState(Duration.ofSeconds(10))
                .permittedNumberOfCallsInHalfOpenState(2);
    }

    static void succeed(CircuitBreaker cb) {
        assertThat(cb.<String, RuntimeException>call(() -> "ok")).isEqualTo("ok");
    }

    static void fail(CircuitBreaker cb) {
        assertThatThrownBy(() -> cb.call(() -> {
            throw new IOException("boom");
        })).isInstanceOf(IOException.class);
    }

    private List<CircuitBreakerEvent> transitions(CircuitBreaker cb) {
        List<CircuitBreakerEvent> events = new ArrayList<>();
        cb.events().subscribe(e -> {
            if (e.eventType() == CircuitBreakerEvent.Type.STATE_TRANSITION) {
                events.add(e);
            }
        });
        return events;
    }

    private CircuitBreaker openedBreaker(CircuitBreakerConfig.Builder config) {
        CircuitBreaker cb = breaker(config);
        cb.transitionToOpenState();
        return cb;
    }

    @Test
    void startsClosed() {
        assertThat(breaker(small()).state()).isEqualTo(State.CLOSED);
        assertThat(breaker(small()).kind()).isEqualTo("circuitbreaker");
    }

    @Test
    void opensWhenFailureRateReachesThreshold() {
        CircuitBreaker cb = breaker(small());
        succeed(cb);
        succeed(cb);
        fail(cb);
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        fail(cb);
        assertThat(cb.state()).isEqualTo(State.OPEN);
        assertThat(cb.metrics().failureRate()).isEqualTo(50f);
    }

    @Test
    void staysClosedJustBelowFailureRateThreshold() {
        CircuitBreaker cb = breaker(small().failureRateThreshold(51));
        succeed(cb);
        succeed(cb);
        fail(cb);
        fail(cb);
        assertThat(cb.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void doesNotOpenBeforeMinimumNumberOfCalls() {
        CircuitBreaker cb = breaker(small().slidingWindowSize(10).minimumNumberOfCalls(5));
        for (int i = 0; i < 4; i++) {
            fail(cb);
        }
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        fail(cb);
        assertThat(cb.state()).isEqualTo(State.OPEN);
    }

    @Test
    void countWindowMinimumIsCappedAtWindowSize() {
        CircuitBreaker cb = breaker(small().slidingWindowSize(2).minimumNumberOfCalls(100));
        fail(cb);
        fail(cb);
        assertThat(cb.state()).isEqualTo(State.OPEN);
    }

    @Test
    void opensWhenSlowCallRateReachesThreshold() {
        CircuitBreaker cb = breaker(small().slowCallDurationThreshold(Duration.ofSeconds(1)).slowCallRateThreshold(50));
        succeed(cb);
        succeed(cb);
        slowSuccess(cb);
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        slowSuccess(cb);
        assertThat(cb.state()).isEqualTo(State.OPEN);
        assertThat(cb.metrics().slowCallRate()).isEqualTo(50f);
        assertThat(cb.metrics().failureRate()).isZero();
    }

    private void slowSuccess(CircuitBreaker cb) {
        cb.call(() -> {
            clock.advance(Duration.ofMillis(1001));
            return "slow";
        });
    }

    @Test
    void callExactlyAtSlowThresholdIsNotSlow() {
        CircuitBreaker cb = breaker(small().slowCallDurationThreshold(Duration.ofSeconds(1)));
        cb.call(() -> {
            clock.advance(Duration.ofSeconds(1));
            return "x";
        });
        assertThat(cb.metrics().slowCalls()).isZero();
    }

    @Test
    void slowFailureCountsAsFailedAndSlow() {
        CircuitBreaker cb = breaker(small().slowCallDurationThreshold(Duration.ofMillis(100)));
        assertThatThrownBy(() -> cb.call(() -> {
            clock.advance(Duration.ofMillis(200));
            throw new IllegalStateException();
        })).isInstanceOf(IllegalStateException.class);
        CircuitBreakerMetrics m = cb.metrics();
        assertThat(m.bufferedCalls()).isEqualTo(1);
        assertThat(m.failedCalls()).isEqualTo(1);
        assertThat(m.slowCalls()).isEqualTo(1);
        assertThat(m.slowFailedCalls()).isEqualTo(1);
        assertThat(m.successfulCalls()).isZero();
    }

    @Test
    void zeroSlowCallDurationThresholdTurnsSlowCallDetectionOff() {
        CircuitBreaker cb = breaker(small().slowCallDurationThreshold(Duration.ZERO));
        for (int i = 0; i < 4; i++) {
            slowSuccess(cb);
        }
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        assertThat(cb.metrics().slowCalls()).isZero();
    }

    @Test
    void openRejectsWithCallNotPermittedNamingBreakerAndState() {
        CircuitBreaker cb = openedBreaker(small());
        AtomicInteger ran = new AtomicInteger();
        assertThatThrownBy(() -> cb.call(ran::incrementAndGet))
                .isInstanceOf(CallNotPermittedException.class)
                .hasMessage("CircuitBreaker 'inventory' is OPEN and does not permit calls")
                .satisfies(e -> {
                    CallNotPermittedException c = (CallNotPermittedException) e;
                    assertThat(c.state()).isEqualTo(State.OPEN);
                    assertThat(c.instanceName()).isEqualTo("inventory");
                    assertThat(c.getStackTrace()).isEmpty();
                });
        assertThat(ran).hasValue(0);
        assertThat(cb.metrics().notPermittedCalls()).isEqualTo(1);
    }

    @Test
    void callNotPermittedTellsTheRemainingOpenWait() {
        CircuitBreaker cb = openedBreaker(small());
        clock.advance(Duration.ofSeconds(3));
        assertThatThrownBy(() -> cb.call(() -> 1))
                .isInstanceOfSatisfying(CallNotPermittedException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)));
    }

    @Test
    void forcedOpenRejectionHasNoRetryAfter() {
        CircuitBreaker cb = breaker(small());
        cb.transitionToForcedOpenState();
        assertThatThrownBy(() -> cb.call(() -> 1))
                .isInstanceOfSatisfying(CallNotPermittedException.class, e -> {
                    assertThat(e.retryAfter()).isEmpty();
                    assertThat(e.state()).isEqualTo(State.FORCED_OPEN);
                });
    }

    @Test
    void fullHalfOpenRejectionHasNoRetryAfter() {
        CircuitBreaker cb = breaker(small().permittedNumberOfCallsInHalfOpenState(1));
        cb.transitionToHalfOpenState();
        cb.call(() -> {
            assertThatThrownBy(() -> cb.call(() -> 1))
                    .isInstanceOfSatisfying(CallNotPermittedException.class, e -> {
                        assertThat(e.retryAfter()).isEmpty();
                        assertThat(e.state()).isEqualTo(State.HALF_OPEN);
                    });
            return null;
        });
    }

    @Test
    void openMovesToHalfOpenLazilyOnFirstCallAfterWait() {
        CircuitBreaker cb = openedBreaker(small());
        clock.advance(Duration.ofSeconds(10).minusNanos(1));
        assertThatThrownBy(() -> cb.call(() -> 1)).isInstanceOf(CallNotPermittedException.class);
        clock.advanceNanos(1);
        assertThat(cb.state()).isEqualTo(State.OPEN);
        succeed(cb);
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void openMovesToHalfOpenByTimerWhenAutomaticTransitionEnabled() {
        CircuitBreaker cb = openedBreaker(small().automaticTransitionFromOpenToHalfOpenEnabled(true));
        List<CircuitBreakerEvent> events = transitions(cb);
        clock.advance(Duration.ofSeconds(10).minusNanos(1));
        assertThat(cb.state()).isEqualTo(State.OPEN);
        clock.advanceNanos(1);
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        assertThat(events).singleElement().satisfies(e -> assertThat(e.details()).isEqualTo(Map.of("from", "OPEN", "to", "HALF_OPEN")));
    }

    @Test
    void leavingOpenEarlyCancelsTheAutomaticTransitionTimer() {
        CircuitBreaker cb = openedBreaker(small().automaticTransitionFromOpenToHalfOpenEnabled(true));
        assertThat(clock.pendingTasks()).isEqualTo(1);
        cb.transitionToClosedState();
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void halfOpenClosesWhenTrialCallsSucceed() {
        CircuitBreaker cb = breaker(small());
        cb.transitionToHalfOpenState();
        succeed(cb);
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        succeed(cb);
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        assertThat(cb.metrics().bufferedCalls()).isZero();
    }

    @Test
    void halfOpenReopensWhenTrialFailureRateReachesThreshold() {
        CircuitBreaker cb = breaker(small());
        cb.transitionToHalfOpenState();
        succeed(cb);
        fail(cb);
        assertThat(cb.state()).isEqualTo(State.OPEN);
        assertThat(cb.metrics().failureRate()).isEqualTo(50f);
    }

    @Test
    void halfOpenReopensWhenTrialCallsAreSlow() {
        CircuitBreaker cb = breaker(small().slowCallDurationThreshold(Duration.ofMillis(10)).slowCallRateThreshold(100));
        cb.transitionToHalfOpenState();
        for (int i = 0; i < 2; i++) {
            cb.call(() -> {
                clock.advance(Duration.ofMillis(11));
                return 1;
            });
        }
        assertThat(cb.state()).isEqualTo(State.OPEN);
    }

    @Test
    void halfOpenAdmitsOnlyPermittedNumberOfCalls() {
        CircuitBreaker cb = breaker(small());
        cb.transitionToHalfOpenState();
        AtomicInteger rejected = new AtomicInteger();
        cb.call(() -> cb.call(() -> {
            try {
                cb.call(() -> 1);
            } catch (CallNotPermittedException e) {
                rejected.incrementAndGet();
            }
            return 1;
        }));
        assertThat(rejected).hasValue(1);
    }

    @Test
    void ignoredTrialCallsGiveTheirPermitBack() {
        CircuitBreaker cb = breaker(small().ignoreExceptions(IllegalArgumentException.class));
        cb.transitionToHalfOpenState();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cb.call(() -> {
                throw new IllegalArgumentException();
            })).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        succeed(cb);
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(1);
    }

    @Test
    void halfOpenReturnsToOpenAfterMaxWaitOnNextCall() {
        CircuitBreaker cb = breaker(small().maxWaitDurationInHalfOpenState(Duration.ofSeconds(5)));
        cb.transitionToHalfOpenState();
        clock.setNanoTime(clock.nanoTime() + Duration.ofSeconds(5).toNanos()); // without running the timer
        assertThatThrownBy(() -> cb.call(() -> 1)).isInstanceOfSatisfying(CallNotPermittedException.class,
                e -> assertThat(e.state()).isEqualTo(State.OPEN));
        assertThat(cb.state()).isEqualTo(State.OPEN);
    }

    @Test
    void halfOpenReturnsToOpenAfterMaxWaitByTimer() {
        CircuitBreaker cb = breaker(small().maxWaitDurationInHalfOpenState(Duration.ofSeconds(5)));
        cb.transitionToHalfOpenState();
        succeed(cb);
        clock.advance(Duration.ofSeconds(5).minusNanos(1));
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        clock.advanceNanos(1);
        assertThat(cb.state()).isEqualTo(State.OPEN);
    }

    @Test
    void halfOpenWithoutMaxWaitStaysHalfOpen() {
        CircuitBreaker cb = breaker(small());
        cb.transitionToHalfOpenState();
        clock.advance(Duration.ofHours(1));
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void forcedOpenRejectsEveryCall() {
        CircuitBreaker cb = breaker(small());
        cb.transitionToForcedOpenState();
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> cb.call(() -> 1)).isInstanceOf(CallNotPermittedException.class);
        }
        assertThat(cb.state()).isEqualTo(State.FORCED_OPEN);
        assertThat(cb.metrics().notPermittedCalls()).isEqualTo(3);
    }

    @Test
    void disabledAdmitsEveryCallAndRecordsNothing() {
        CircuitBreaker cb = breaker(small());
        cb.transitionToDisabledState();
        for (int i = 0; i < 10; i++) {
            fail(cb);
        }
        assertThat(cb.state()).isEqualTo(State.DISABLED);
        assertThat(cb.metrics().bufferedCalls()).isZero();
        assertThat(cb.metrics().failureRate()).isEqualTo(-1f);
    }

    @Test
    void manualTransitionsReachEveryState() {
        CircuitBreaker cb = breaker(small());
        List<CircuitBreakerEvent> events = transitions(cb);
        cb.transitionToOpenState();
        cb.transitionToHalfOpenState();
        cb.transitionToForcedOpenState();
        cb.transitionToDisabledState();
        cb.transitionToClosedState();
        assertThat(events).extracting(e -> e.details().get("from") + "->" + e.details().get("to"))
                .containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->FORCED_OPEN", "FORCED_OPEN->DISABLED", "DISABLED->CLOSED");
    }

    @Test
    void manualTransitionToTheCurrentStateDoesNothing() {
        CircuitBreaker cb = breaker(small());
        List<CircuitBreakerEvent> events = transitions(cb);
        cb.transitionToClosedState();
        assertThat(events).isEmpty();
    }

    @Test
    void manualCloseStartsWithAnEmptyWindow() {
        CircuitBreaker cb = breaker(small());
        fail(cb);
        cb.transitionToOpenState();
        cb.transitionToClosedState();
        assertThat(cb.metrics().bufferedCalls()).isZero();
    }

    @Test
    void resetReturnsToClosedWithEmptyWindowAndClearedMetrics() {
        CircuitBreaker cb = breaker(small());
        for (int i = 0; i < 4; i++) {
            fail(cb);
        }
        assertThatThrownBy(() -> cb.call(() -> 1)).isInstanceOf(CallNotPermittedException.class);
        List<String> types = new ArrayList<>();
        cb.events().subscribe(e -> types.add(e.type()));
        cb.reset();
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        // The running totals are counters for metrics registries: they survive a reset and never go backwards.
        assertThat(cb.metrics()).isEqualTo(new CircuitBreakerMetrics(State.CLOSED, -1, -1, 0, 0, 0, 0, 0, 0, 0, 4, 0, cb.metrics().totalSuccessfulCallsNanos(), cb.metrics().totalFailedCallsNanos()));
        assertThat(types).containsExactly("STATE_TRANSITION", "RESET");
    }

    @Test
    void metricsRatesAreMinusOneUnderMinimumNumberOfCalls() {
        CircuitBreaker cb = breaker(small().slidingWindowSize(10).minimumNumberOfCalls(3));
        fail(cb);
        succeed(cb);
        assertThat(cb.metrics().failureRate()).isEqualTo(-1f);
        assertThat(cb.metrics().slowCallRate()).isEqualTo(-1f);
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(2);
        succeed(cb);
        assertThat(cb.metrics().failureRate()).isCloseTo(33.33f, org.assertj.core.data.Offset.offset(0.01f));
        assertThat(cb.metrics().slowCallRate()).isZero();
    }

    @Test
    void countWindowEvictsTheOldestOutcome() {
        CircuitBreaker cb = breaker(small().slidingWindowSize(3).failureRateThreshold(100));
        fail(cb);
        succeed(cb);
        succeed(cb);
        assertThat(cb.metrics().failedCalls()).isEqualTo(1);
        succeed(cb);
        assertThat(cb.metrics().failedCalls()).isZero();
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(3);
        assertThat(cb.metrics().successfulCalls()).isEqualTo(3);
    }

    @Test
    void eachTransitionPublishesOneEventWithFromAndTo() {
        CircuitBreaker cb = breaker(small());
        List<String> types = new ArrayList<>();
        List<CircuitBreakerEvent> events = new ArrayList<>();
        cb.events().subscribe(e -> {
            types.add(e.type());
            events.add(e);
        });
        for (int i = 0; i < 4; i++) {
            fail(cb);
        }
        assertThat(types).containsExactly("ERROR", "ERROR", "ERROR", "ERROR", "FAILURE_RATE_EXCEEDED", "STATE_TRANSITION");
        CircuitBreakerEvent transition = events.get(5);
        assertThat(transition.kind()).isEqualTo("circuitbreaker");
        assertThat(transition.name()).isEqualTo("inventory");
        assertThat(transition.details()).isEqualTo(Map.of("from", "CLOSED", "to", "OPEN"));
        assertThat(transition.epochMillis()).isEqualTo(clock.currentTimeMillis());
    }

    @Test
    void rejectedCallPublishesNotPermitted() {
        CircuitBreaker cb = openedBreaker(small());
        List<CircuitBreakerEvent> events = new ArrayList<>();
        cb.events().subscribe(events::add);
        assertThatThrownBy(() -> cb.call(() -> 1)).isInstanceOf(CallNotPermittedException.class);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("NOT_PERMITTED");
            assertThat(e.details()).containsEntry("state", "OPEN");
        });
    }

    @Test
    void callAdmittedWhileClosedDoesNotDecideHalfOpen() {
        CircuitBreaker cb = breaker(small().permittedNumberOfCallsInHalfOpenState(1));
        assertThatThrownBy(() -> cb.call(() -> {
            // while this call runs, the breaker opens and half-opens
            cb.transitionToOpenState();
            cb.transitionToHalfOpenState();
            throw new IOException("late failure");
        })).isInstanceOf(IOException.class);
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        assertThat(cb.metrics().bufferedCalls()).isZero();
        succeed(cb);
        assertThat(cb.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void trialCallEndingAfterBreakerMovedOnDoesNotDecideNewState() {
        CircuitBreaker cb = breaker(small().permittedNumberOfCallsInHalfOpenState(1));
        cb.transitionToHalfOpenState();
        succeed(cb); // closes
        cb.transitionToHalfOpenState();
        assertThatThrownBy(() -> cb.call(() -> {
            cb.reset();
            throw new IOException();
        })).isInstanceOf(IOException.class);
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        assertThat(cb.metrics().bufferedCalls()).isZero();
    }

    @Test
    void runningTotalsCountEveryCompletedCallByOutcome() {
        CircuitBreaker cb = CircuitBreaker.of("totals", CircuitBreakerConfig.builder()
                .ignoreExceptions(IllegalArgumentException.class).build(), new ManualClock());
        cb.call(() -> "ok");
        cb.call(() -> "ok");
        assertThatThrownBy(() -> cb.call(() -> {
            throw new IllegalStateException("failed");
        })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cb.call(() -> {
            throw new IllegalArgumentException("ignored");
        })).isInstanceOf(IllegalArgumentException.class);
        CircuitBreakerMetrics metrics = cb.metrics();
        assertThat(metrics.totalSuccessfulCalls()).isEqualTo(2);
        assertThat(metrics.totalFailedCalls()).isEqualTo(1);
        assertThat(metrics.totalIgnoredCalls()).isEqualTo(1);
    }

    @Test
    void runningTotalsSumTheTimeOfTimedCalls() throws Exception {
        ManualClock clock = new ManualClock();
        CircuitBreaker cb = CircuitBreaker.of("timed", CircuitBreakerConfig.defaults(), clock);
        cb.call(() -> {
            clock.advance(Duration.ofMillis(30));
            return "ok";
        });
        assertThatThrownBy(() -> cb.call(() -> {
            clock.advance(Duration.ofMillis(5));
            throw new IllegalStateException("failed");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(cb.metrics().totalSuccessfulCallsNanos()).isEqualTo(Duration.ofMillis(30).toNanos());
        assertThat(cb.metrics().totalFailedCallsNanos()).isEqualTo(Duration.ofMillis(5).toNanos());
    }

    @Test
    void untimedBreakerReportsNoDurations() {
        CircuitBreaker cb = CircuitBreaker.of("untimed", CircuitBreakerConfig.builder()
                .slowCallDurationThreshold(Duration.ZERO).build(), new ManualClock());
        cb.call(() -> "ok");
        assertThat(cb.metrics().totalSuccessfulCalls()).isEqualTo(1);
        assertThat(cb.metrics().totalSuccessfulCallsNanos()).isEqualTo(-1);
        assertThat(cb.metrics().totalFailedCallsNanos()).isEqualTo(-1);
    }

    @Test
    void transitionDetailsListFromBeforeTo() {
        CircuitBreaker cb = breaker(small());
        List<CircuitBreakerEvent> transitions = transitions(cb);
        cb.transitionToOpenState();
        cb.transitionToHalfOpenState();
        cb.transitionToClosedState();
        assertThat(transitions).hasSize(3).allSatisfy(e -> assertThat(e.details().keySet()).containsExactly("from", "to"));
        assertThat(transitions.get(0).details()).containsEntry("from", "CLOSED").containsEntry("to", "OPEN");
    }
}

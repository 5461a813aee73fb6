package dev.resilience.circuitbreaker;

import dev.resilience.circuitbreaker.CircuitBreaker.Permit;
import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Permits of {@link CircuitBreaker#tryAcquire()}: admitted like a call, finished exactly once. */
class CircuitBreakerPermitTest {

    private final ManualClock clock = new ManualClock();

    private static CircuitBreakerConfig.Builder config() {
        return CircuitBreakerConfig.builder().slidingWindowSize(10).minimumNumberOfCalls(10)
                .ignoreExceptions(IllegalStateException.class).waitDurationInOpenState(Duration.ofSeconds(10))
                .permittedNumberOfCallsInHalfOpenState(2);
    }

    private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
        return CircuitBreaker.of("gateway", config.build(), clock);
    }

    private static List<CircuitBreakerEvent> events(CircuitBreaker cb) {
        List<CircuitBreakerEvent> events = new ArrayList<>();
        cb.events().subscribe(events::add);
        return events;
    }

    @Test
    void aSuccessIsRecordedOnceAndLaterFinishesAreIgnored() {
        CircuitBreaker cb = breaker(config());
        Permit permit = cb.tryAcquire();
        assertThat(permit.onSuccess()).isTrue();
        assertThat(permit.onSuccess()).isFalse();
        assertThat(permit.onError(new IOException("late"))).isFalse();
        assertThat(permit.onIgnore()).isFalse();
        assertThat(permit.onSuccess(Duration.ofMinutes(5))).isFalse();
        CircuitBreakerMetrics metrics = cb.metrics();
        assertThat(metrics.totalSuccessfulCalls()).isEqualTo(1);
        assertThat(metrics.totalFailedCalls()).isZero();
        assertThat(metrics.totalIgnoredCalls()).isZero();
        assertThat(metrics.bufferedCalls()).isEqualTo(1);
        assertThat(metrics.slowCalls()).isZero();
    }

    @Test
    void anErrorIsClassifiedAsAWrappedCallsWouldBe() {
        CircuitBreaker cb = breaker(config());
        assertThat(cb.tryAcquire().onError(new IOException("recorded"))).isTrue();
        assertThat(cb.tryAcquire().onError(new IllegalStateException("ignored by config"))).isTrue();
        assertThat(cb.tryAcquire().onError(new StackOverflowError())).isTrue(); // an Error not named: ignored
        CircuitBreakerMetrics metrics = cb.metrics();
        assertThat(metrics.totalFailedCalls()).isEqualTo(1);
        assertThat(metrics.failedCalls()).isEqualTo(1);
        assertThat(metrics.totalIgnoredCalls()).isEqualTo(2);
        assertThat(metrics.bufferedCalls()).isEqualTo(1);
    }

    @Test
    void failuresThroughPermitsOpenTheBreaker() {
        CircuitBreaker cb = breaker(config());
        for (int i = 0; i < 10; i++) {
            cb.tryAcquire().onError(new IOException("down"));
        }
        assertThat(cb.state()).isEqualTo(State.OPEN);
    }

    @Test
    void aPermitIsTimedFromItsAcquisitionToItsFinish() {
        CircuitBreaker cb = breaker(config());
        Permit fast = cb.tryAcquire();
        Permit slow = cb.tryAcquire();
        clock.advance(Duration.ofSeconds(60));
        fast.onSuccess(); // exactly the threshold: not slow
        clock.advanceNanos(1);
        slow.onError(new IOException("slow"));
        CircuitBreakerMetrics metrics = cb.metrics();
        assertThat(metrics.slowCalls()).isEqualTo(1);
        assertThat(metrics.slowFailedCalls()).isEqualTo(1);
        assertThat(metrics.totalSuccessfulCallsNanos()).isEqualTo(Duration.ofSeconds(60).toNanos());
        assertThat(metrics.totalFailedCallsNanos()).isEqualTo(Duration.ofSeconds(60).toNanos() + 1);
    }

    @Test
    void aGivenDurationReplacesTheBreakersOwnTiming() {
        CircuitBreaker cb = breaker(config());
        Permit measuredSlow = cb.tryAcquire();
        Permit longAgo = cb.tryAcquire();
        clock.advance(Duration.ofMinutes(2));
        longAgo.onSuccess(Duration.ofSeconds(1));
        measuredSlow.onError(new IOException("slow"), Duration.ofSeconds(61));
        CircuitBreakerMetrics metrics = cb.metrics();
        assertThat(metrics.slowCalls()).isEqualTo(1);
        assertThat(metrics.slowFailedCalls()).isEqualTo(1);
        assertThat(metrics.totalSuccessfulCallsNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(metrics.totalFailedCallsNanos()).isEqualTo(Duration.ofSeconds(61).toNanos());
    }

    @Test
    void invalidArgumentsLeaveThePermitUnfinished() {
        CircuitBreaker cb = breaker(config());
        Permit permit = cb.tryAcquire();
        assertThatThrownBy(() -> permit.onSuccess(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> permit.onSuccess(Duration.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> permit.onError(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> permit.onError(new IOException(), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(cb.metrics().totalSuccessfulCalls() + cb.metrics().totalFailedCalls()).isZero();
        assertThat(permit.onSuccess()).isTrue();
    }

    @Test
    void aRejectedAcquisitionReturnsNullAndIsCountedAndPublished() {
        CircuitBreaker cb = breaker(config());
        List<CircuitBreakerEvent> events = events(cb);
        cb.transitionToOpenState();
        assertThat(cb.tryAcquire()).isNull();
        cb.transitionToForcedOpenState();
        assertThat(cb.tryAcquire()).isNull();
        assertThat(cb.metrics().notPermittedCalls()).isEqualTo(2);
        assertThat(events).filteredOn(e -> e.eventType() == CircuitBreakerEvent.Type.NOT_PERMITTED)
                .extracting(CircuitBreakerEvent::details)
                .containsExactly(Map.of("state", "OPEN"), Map.of("state", "FORCED_OPEN"));
    }

    @Test
    void aPermitAfterTheOpenWaitMovesTheBreakerToHalfOpen() {
        CircuitBreaker cb = breaker(config());
        cb.transitionToOpenState();
        clock.advance(Duration.ofSeconds(10));
        Permit trial = cb.tryAcquire();
        assertThat(trial).isNotNull();
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
    }

    @Test
    void inHalfOpenIgnoringGivesThePermitBackExactlyOnce() {
        CircuitBreaker cb = breaker(config());
        cb.transitionToHalfOpenState();
        Permit first = cb.tryAcquire();
        Permit second = cb.tryAcquire();
        assertThat(cb.tryAcquire()).as("both trials taken").isNull();
        assertThat(first.onIgnore()).isTrue();
        assertThat(first.onIgnore()).isFalse();
        assertThat(first.onError(new IllegalStateException("ignored too"))).isFalse();
        Permit again = cb.tryAcquire();
        assertThat(again).isNotNull();
        assertThat(cb.tryAcquire()).as("one permit came back, not three").isNull();
        second.onSuccess();
        again.onSuccess();
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        assertThat(cb.metrics().totalIgnoredCalls()).isEqualTo(1);
    }

    @Test
    void anIgnoredExceptionGivesTheHalfOpenPermitBack() {
        CircuitBreaker cb = breaker(config());
        cb.transitionToHalfOpenState();
        cb.tryAcquire().onError(new IllegalStateException("ignored"));
        cb.tryAcquire();
        assertThat(cb.tryAcquire()).isNotNull();
        assertThat(cb.tryAcquire()).isNull();
    }

    @Test
    void anUnfinishedPermitHoldsItsTrialUntilTheHalfOpenLimitSendsTheBreakerBackToOpen() {
        CircuitBreaker cb = breaker(config().permittedNumberOfCallsInHalfOpenState(1)
                .maxWaitDurationInHalfOpenState(Duration.ofSeconds(30)));
        cb.transitionToHalfOpenState();
        Permit lost = cb.tryAcquire();
        assertThat(lost).isNotNull();
        clock.advance(Duration.ofSeconds(30).minusNanos(1));
        assertThat(cb.tryAcquire()).as("the lost permit still holds the only trial").isNull();
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        clock.advanceNanos(1);
        assertThat(cb.state()).isEqualTo(State.OPEN);
        clock.advance(Duration.ofSeconds(10));
        Permit fresh = cb.tryAcquire();
        assertThat(fresh).as("a new HALF_OPEN has its own trial").isNotNull();
        assertThat(lost.onError(new IOException("late"))).isTrue(); // finishes into the state that admitted it
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        assertThat(cb.metrics().bufferedCalls()).isZero();
        fresh.onSuccess();
        assertThat(cb.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void aDisabledBreakerAdmitsAndRecordsNothing() {
        CircuitBreaker cb = breaker(config());
        cb.transitionToDisabledState();
        Permit permit = cb.tryAcquire();
        assertThat(permit.onError(new IOException("not recorded"))).isTrue();
        assertThat(permit.onSuccess()).isFalse();
        assertThat(cb.metrics().totalFailedCalls()).isZero();
    }

    @Test
    void finishingPublishesTheOutcomeEvents() {
        CircuitBreaker cb = breaker(config());
        List<CircuitBreakerEvent> events = events(cb);
        Permit permit = cb.tryAcquire();
        permit.onSuccess();
        permit.onSuccess();
        cb.tryAcquire().onError(new IOException("down"));
        cb.tryAcquire().onIgnore();
        assertThat(events).extracting(CircuitBreakerEvent::eventType).containsExactly(CircuitBreakerEvent.Type.SUCCESS,
                CircuitBreakerEvent.Type.ERROR, CircuitBreakerEvent.Type.IGNORED_ERROR);
        assertThat(events.get(1).details()).containsEntry("error", IOException.class.getName());
        assertThat(events.get(2).details()).isEmpty();
    }

    @Test
    void aThrowingRecordPredicateMakesAFailureAndRidesOnTheError() {
        IllegalArgumentException predicateFailure = new IllegalArgumentException("predicate");
        CircuitBreaker cb = breaker(config().recordException(e -> {
            throw predicateFailure;
        }));
        IOException error = new IOException("down");
        assertThat(cb.tryAcquire().onError(error)).isTrue();
        assertThat(error.getSuppressed()).containsExactly(predicateFailure);
        assertThat(cb.metrics().totalFailedCalls()).isEqualTo(1);
    }

    @Test
    void aPermitDescribesItself() {
        CircuitBreaker cb = breaker(config());
        Permit permit = cb.tryAcquire();
        assertThat(permit.toString()).contains("gateway").contains("unfinished");
        permit.onIgnore();
        assertThat(permit.toString()).endsWith(", finished");
    }
}

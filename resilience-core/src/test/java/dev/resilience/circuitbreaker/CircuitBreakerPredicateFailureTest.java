package dev.resilience.circuitbreaker;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A record, ignore or result predicate that throws still settles its call: the call is recorded as a failure (its
 * permit is used up as for any failure), the caller gets the call's own outcome, and the predicate's exception is
 * attached to the call's exception as suppressed (a result predicate's is logged and named in the ERROR event).
 */
class CircuitBreakerPredicateFailureTest {

    private final ManualClock clock = new ManualClock();

    /** Throws NullPointerException for an exception without a message. */
    private static CircuitBreakerConfig.Builder recordingOn503() {
        return CircuitBreakerConfig.builder().slidingWindowSize(10).minimumNumberOfCalls(10)
                .slowCallDurationThreshold(Duration.ZERO).permittedNumberOfCallsInHalfOpenState(3)
                .recordException(e -> e.getMessage().contains("503"));
    }

    private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
        return CircuitBreaker.of("gateway", config.build(), clock);
    }

    private static void failsWithItsOwnExceptionCarryingThePredicates(CircuitBreaker cb) {
        IllegalStateException own = new IllegalStateException(); // no message: the predicate throws
        assertThatThrownBy(() -> cb.call(() -> {
            throw own;
        })).isSameAs(own);
        assertThat(own.getSuppressed()).singleElement().isInstanceOf(NullPointerException.class);
    }

    private static void failsAsyncWithItsOwnExceptionCarryingThePredicates(CircuitBreaker cb) {
        IllegalStateException own = new IllegalStateException();
        CompletableFuture<String> future = new CompletableFuture<>();
        CompletionStage<String> stage = cb.callAsync(() -> future);
        future.completeExceptionally(own);
        assertThatThrownBy(() -> stage.toCompletableFuture().join()).isInstanceOf(CompletionException.class).cause()
                .isSameAs(own);
        assertThat(own.getSuppressed()).singleElement().isInstanceOf(NullPointerException.class);
    }

    @Test
    void throwingRecordPredicateInClosedCountsAFailureAndTheCallerSeesItsOwnException() {
        CircuitBreaker cb = breaker(recordingOn503());
        failsWithItsOwnExceptionCarryingThePredicates(cb);
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(1);
        assertThat(cb.metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void throwingRecordPredicateInClosedCountsAFailureAsync() {
        CircuitBreaker cb = breaker(recordingOn503());
        failsAsyncWithItsOwnExceptionCarryingThePredicates(cb);
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(1);
        assertThat(cb.metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void throwingRecordPredicateInHalfOpenUsesUpExactlyOneTrialPerCall() {
        CircuitBreaker cb = breaker(recordingOn503());
        cb.transitionToHalfOpenState();
        failsWithItsOwnExceptionCarryingThePredicates(cb);
        failsWithItsOwnExceptionCarryingThePredicates(cb);
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(2);
        assertThat(cb.metrics().failedCalls()).isEqualTo(2);
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        // exactly one trial left: one more call runs, the next is rejected
        CompletableFuture<String> third = new CompletableFuture<>();
        cb.callAsync(() -> third);
        assertThatThrownBy(() -> cb.call(() -> "x")).isInstanceOf(CallNotPermittedException.class);
        third.complete("ok");
        assertThat(cb.state()).isEqualTo(State.OPEN); // 2 of 3 trials failed
    }

    @Test
    void throwingRecordPredicateInHalfOpenUsesUpExactlyOneTrialPerCallAsync() {
        CircuitBreaker cb = breaker(recordingOn503());
        cb.transitionToHalfOpenState();
        failsAsyncWithItsOwnExceptionCarryingThePredicates(cb);
        failsAsyncWithItsOwnExceptionCarryingThePredicates(cb);
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(2);
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        CompletableFuture<String> third = new CompletableFuture<>();
        cb.callAsync(() -> third);
        assertThat(cb.callAsync(() -> CompletableFuture.completedFuture("x")).toCompletableFuture())
                .isCompletedExceptionally();
        third.complete("ok");
        assertThat(cb.state()).isEqualTo(State.OPEN);
    }

    @Test
    void throwingIgnorePredicateCountsAFailureAndTheCallerSeesItsOwnException() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder().slidingWindowSize(10).minimumNumberOfCalls(10)
                .permittedNumberOfCallsInHalfOpenState(1).ignoreException(e -> e.getMessage().contains("benign")));
        cb.transitionToHalfOpenState();
        failsWithItsOwnExceptionCarryingThePredicates(cb);
        assertThat(cb.state()).isEqualTo(State.OPEN); // the single trial was recorded, as a failure
        assertThat(cb.metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void throwingSupplierOfAnAsyncCallWithAThrowingPredicateFailsTheStageWithItsOwnException() {
        CircuitBreaker cb = breaker(recordingOn503());
        IllegalStateException own = new IllegalStateException();
        CompletionStage<String> stage = cb.callAsync(() -> {
            throw own;
        });
        assertThatThrownBy(() -> stage.toCompletableFuture().join()).cause().isSameAs(own);
        assertThat(own.getSuppressed()).singleElement().isInstanceOf(NullPointerException.class);
        assertThat(cb.metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void throwingResultPredicateCountsAFailureAndTheCallerGetsItsResult() {
        CircuitBreaker cb = breaker(recordingOn503().recordResult(r -> ((String) r).isEmpty()));
        List<CircuitBreakerEvent> events = new ArrayList<>();
        cb.events().subscribe(events::add);
        cb.transitionToHalfOpenState();
        events.clear();
        assertThat(cb.<String, RuntimeException>call(() -> null)).isNull();
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(1);
        assertThat(cb.metrics().failedCalls()).isEqualTo(1);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.eventType()).isEqualTo(CircuitBreakerEvent.Type.ERROR);
            assertThat(e.details()).containsEntry("predicateError", NullPointerException.class.getName());
        });
    }

    @Test
    void throwingResultPredicateCountsAFailureAndTheCallerGetsItsResultAsync() {
        CircuitBreaker cb = breaker(recordingOn503().recordResult(r -> ((String) r).isEmpty()));
        cb.transitionToHalfOpenState();
        for (int i = 0; i < 3; i++) {
            assertThat(cb.callAsync(() -> CompletableFuture.<String>completedFuture(null)).toCompletableFuture().join())
                    .isNull();
        }
        assertThat(cb.state()).isEqualTo(State.OPEN); // all three trials recorded, as failures
    }
}

package dev.resilience.circuitbreaker;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What counts as success, failure or neither, for synchronous and asynchronous calls. */
class CircuitBreakerOutcomeTest {

    private final ManualClock clock = new ManualClock();

    private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
        return CircuitBreaker.of("payments", config.slidingWindowSize(10).minimumNumberOfCalls(10)
                .slowCallDurationThreshold(Duration.ofSeconds(1)).build(), clock);
    }

    private static void throwing(CircuitBreaker cb, Exception e) {
        assertThatThrownBy(() -> cb.call(() -> {
            throw e;
        })).isSameAs(e);
    }

    @Test
    void checkedExceptionPassesThroughUnchangedAndCountsAsFailure() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder());
        throwing(cb, new IOException("x"));
        assertThat(cb.metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void recordExceptionsMatchSubclassesAndAnExceptionOutsideThemCountsAsASuccess() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder().recordExceptions(IOException.class));
        List<CircuitBreakerEvent> events = new ArrayList<>();
        cb.events().subscribe(events::add);
        throwing(cb, new FileNotFoundException());
        throwing(cb, new IllegalStateException());
        assertThat(cb.metrics().failedCalls()).isEqualTo(1);
        assertThat(cb.metrics().successfulCalls()).isEqualTo(1);
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(2);
        assertThat(cb.metrics().totalIgnoredCalls()).isZero();
        assertThat(events).extracting(CircuitBreakerEvent::type).containsExactly("ERROR", "SUCCESS");
    }

    @Test
    void anAsynchronousExceptionOutsideRecordExceptionsCountsAsASuccess() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder().recordExceptions(IOException.class));
        CompletableFuture<String> future = new CompletableFuture<>();
        CompletionStage<String> stage = cb.callAsync(() -> future);
        IllegalStateException own = new IllegalStateException();
        future.completeExceptionally(own);
        assertThatThrownBy(() -> stage.toCompletableFuture().join()).cause().isSameAs(own);
        assertThat(cb.metrics().successfulCalls()).isEqualTo(1);
        assertThat(cb.metrics().failedCalls()).isZero();
    }

    @Test
    void aHalfOpenTrialEndingInAnExceptionOutsideRecordExceptionsIsASuccessfulTrial() {
        CircuitBreaker cb = CircuitBreaker.of("payments", CircuitBreakerConfig.builder().recordExceptions(IOException.class)
                .slidingWindowSize(2).minimumNumberOfCalls(2).permittedNumberOfCallsInHalfOpenState(1)
                .slowCallDurationThreshold(Duration.ZERO).build(), clock);
        cb.transitionToOpenState();
        cb.transitionToHalfOpenState();
        throwing(cb, new IllegalStateException("404"));
        assertThat(cb.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void ignoreExceptionsMatchSubclassesAndCountAsNeither() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder().ignoreExceptions(IOException.class));
        throwing(cb, new FileNotFoundException());
        assertThat(cb.metrics().bufferedCalls()).isZero();
        assertThat(cb.metrics().successfulCalls()).isZero();
    }

    @Test
    void ignoreWinsOverRecord() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder().recordExceptions(IOException.class)
                .ignoreExceptions(FileNotFoundException.class));
        throwing(cb, new FileNotFoundException());
        throwing(cb, new IOException());
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(1);
        assertThat(cb.metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void ignoreExceptionPredicateWinsOverRecordExceptions() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder().recordExceptions(IOException.class)
                .ignoreException(e -> "benign".equals(e.getMessage())));
        throwing(cb, new IOException("benign"));
        throwing(cb, new IOException("bad"));
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(1);
    }

    @Test
    void anExceptionTheRecordPredicateRejectsCountsAsASuccess() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder().recordException(e -> e.getMessage().startsWith("5")));
        throwing(cb, new IllegalStateException("503"));
        throwing(cb, new IllegalStateException("404"));
        assertThat(cb.metrics().failedCalls()).isEqualTo(1);
        assertThat(cb.metrics().successfulCalls()).isEqualTo(1);
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(2);
    }

    @Test
    void recordExceptionsAndTheRecordPredicateEachRecordAFailure() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder().recordExceptions(IOException.class)
                .recordException(e -> "503".equals(e.getMessage())));
        throwing(cb, new IOException("timeout"));            // its class is recorded
        throwing(cb, new IllegalStateException("503"));      // the predicate records it
        throwing(cb, new IllegalStateException("404"));      // neither: a success
        assertThat(cb.metrics().failedCalls()).isEqualTo(2);
        assertThat(cb.metrics().successfulCalls()).isEqualTo(1);
    }

    @Test
    void ignoredExceptionPublishesIgnoredError() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder().ignoreExceptions(IOException.class));
        List<CircuitBreakerEvent> events = new ArrayList<>();
        cb.events().subscribe(events::add);
        throwing(cb, new IOException());
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("IGNORED_ERROR");
            assertThat(e.details()).containsEntry("error", IOException.class.getName());
        });
    }

    @Test
    void resultMatchingRecordResultCountsAsFailure() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder().recordResult(r -> r instanceof Integer i && i >= 500));
        assertThat(cb.<Integer, RuntimeException>call(() -> 503)).isEqualTo(503);
        assertThat(cb.<Integer, RuntimeException>call(() -> 200)).isEqualTo(200);
        assertThat(cb.metrics().failedCalls()).isEqualTo(1);
        assertThat(cb.metrics().successfulCalls()).isEqualTo(1);
    }

    @Test
    void asyncSuccessIsRecordedWhenTheStageCompletes() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder());
        CompletableFuture<String> future = new CompletableFuture<>();
        CompletionStage<String> stage = cb.callAsync(() -> future);
        assertThat(cb.metrics().bufferedCalls()).isZero();
        future.complete("done");
        assertThat(stage.toCompletableFuture().join()).isEqualTo("done");
        assertThat(cb.metrics().successfulCalls()).isEqualTo(1);
    }

    @Test
    void asyncFailureIsRecordedWhenTheStageFails() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder());
        CompletableFuture<String> future = new CompletableFuture<>();
        CompletionStage<String> stage = cb.callAsync(() -> future);
        future.completeExceptionally(new IOException());
        assertThat(stage.toCompletableFuture()).isCompletedExceptionally();
        assertThat(cb.metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void asyncSlownessIsMeasuredUntilTheStageCompletes() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder());
        CompletableFuture<String> future = new CompletableFuture<>();
        cb.callAsync(() -> future);
        clock.advance(Duration.ofSeconds(2));
        future.complete("late");
        assertThat(cb.metrics().slowCalls()).isEqualTo(1);
    }

    @Test
    void asyncSupplierThrowingCountsAsFailure() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder());
        CompletionStage<String> stage = cb.callAsync(() -> {
            throw new IllegalStateException();
        });
        assertThat(stage.toCompletableFuture()).isCompletedExceptionally();
        assertThat(cb.metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void asyncCancellationCountsAsIgnoredAndReleasesTheHalfOpenPermit() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder().permittedNumberOfCallsInHalfOpenState(1));
        cb.transitionToHalfOpenState();
        CompletableFuture<String> first = new CompletableFuture<>();
        cb.callAsync(() -> first);
        assertThat(cb.callAsync(() -> CompletableFuture.completedFuture("x")).toCompletableFuture())
                .isCompletedExceptionally();
        first.cancel(true);
        assertThat(cb.metrics().bufferedCalls()).isZero();
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        CompletableFuture<String> second = new CompletableFuture<>();
        cb.callAsync(() -> second);
        second.complete("ok");
        assertThat(cb.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void asyncRejectionCompletesTheStageExceptionallyWithoutCallingTheSupplier() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder());
        cb.transitionToForcedOpenState();
        boolean[] called = new boolean[1];
        CompletionStage<String> stage = cb.callAsync(() -> {
            called[0] = true;
            return CompletableFuture.completedFuture("x");
        });
        assertThatThrownBy(() -> stage.toCompletableFuture().join()).hasCauseInstanceOf(CallNotPermittedException.class);
        assertThat(called[0]).isFalse();
    }

    @Test
    void asyncResultMatchingRecordResultCountsAsFailure() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder().recordResult(r -> r == null));
        cb.callAsync(() -> CompletableFuture.completedFuture(null));
        assertThat(cb.metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void asyncOutcomeOfCallAdmittedBeforeTransitionIsNotCountedInNewState() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder());
        CompletableFuture<String> future = new CompletableFuture<>();
        cb.callAsync(() -> future);
        cb.transitionToHalfOpenState();
        future.completeExceptionally(new IOException());
        assertThat(cb.metrics().bufferedCalls()).isZero();
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
    }
}

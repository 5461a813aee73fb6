package dev.resilience.circuitbreaker;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.IOError;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@link java.lang.Error} (a JVM or linkage problem, not an answer of the protected dependency) passes through a
 * breaker unrecorded, as an ignored exception, unless {@code recordExceptions} names it (or a superclass of it that
 * is an Error).
 */
class CircuitBreakerErrorTest {

    private final ManualClock clock = new ManualClock();

    private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
        return CircuitBreaker.of("ledger", config.slidingWindowSize(10).minimumNumberOfCalls(1)
                .slowCallDurationThreshold(Duration.ZERO).permittedNumberOfCallsInHalfOpenState(1).build(), clock);
    }

    private static void throwing(CircuitBreaker cb, Throwable error) {
        assertThatThrownBy(() -> cb.call(() -> {
            throw error;
        })).isSameAs(error);
    }

    private static void throwingAsync(CircuitBreaker cb, Throwable error) {
        CompletableFuture<String> future = new CompletableFuture<>();
        CompletionStage<String> stage = cb.callAsync(() -> future);
        future.completeExceptionally(error);
        assertThatThrownBy(() -> stage.toCompletableFuture().join()).cause().isSameAs(error);
    }

    @Test
    void anErrorIsNotRecordedAndDoesNotOpenTheBreaker() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder());
        throwing(cb, new StackOverflowError());
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        assertThat(cb.metrics().bufferedCalls()).isZero();
        assertThat(cb.metrics().failedCalls()).isZero();
        assertThat(cb.metrics().totalIgnoredCalls()).isEqualTo(1);
    }

    @Test
    void anErrorIsNotRecordedAsync() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder());
        throwingAsync(cb, new StackOverflowError());
        assertThat(cb.metrics().bufferedCalls()).isZero();
        assertThat(cb.metrics().totalIgnoredCalls()).isEqualTo(1);
    }

    @Test
    void anErrorThrownByTheAsyncSupplierItselfIsNotRecorded() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder());
        StackOverflowError error = new StackOverflowError();
        CompletionStage<String> stage = cb.callAsync(() -> {
            throw error;
        });
        assertThatThrownBy(() -> stage.toCompletableFuture().join()).cause().isSameAs(error);
        assertThat(cb.metrics().bufferedCalls()).isZero();
    }

    @Test
    void anErrorGivesItsHalfOpenTrialBack() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder());
        cb.transitionToHalfOpenState();
        throwing(cb, new StackOverflowError());
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        assertThat(cb.metrics().bufferedCalls()).isZero();
        assertThat(cb.<String, RuntimeException>call(() -> "ok")).isEqualTo("ok"); // the one trial is still there
        assertThat(cb.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void anErrorGivesItsHalfOpenTrialBackAsync() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder());
        cb.transitionToHalfOpenState();
        throwingAsync(cb, new OutOfMemoryError());
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        cb.callAsync(() -> CompletableFuture.completedFuture("ok"));
        assertThat(cb.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void recordExceptionsThatNamesAnErrorRecordsItAndItsSubclasses() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder().recordExceptions(IOException.class, IOError.class));
        throwing(cb, new IOError(null));
        assertThat(cb.metrics().failedCalls()).isEqualTo(1);
        assertThat(cb.state()).isEqualTo(State.OPEN);

        CircuitBreaker vm = breaker(CircuitBreakerConfig.builder().recordExceptions(VirtualMachineError.class));
        throwing(vm, new AssertionError()); // an Error, but not one named
        assertThat(vm.metrics().totalIgnoredCalls()).isEqualTo(1);
        throwing(vm, new StackOverflowError());
        assertThat(vm.metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void recordingEveryThrowableDoesNotNameErrors() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder().recordExceptions(Throwable.class));
        throwing(cb, new StackOverflowError());
        assertThat(cb.metrics().bufferedCalls()).isZero();
        throwing(cb, new IOException());
        assertThat(cb.metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void anIgnoredErrorIsIgnoredEvenWhenNamedForRecording() {
        CircuitBreaker cb = breaker(CircuitBreakerConfig.builder().recordExceptions(Error.class)
                .ignoreExceptions(AssertionError.class));
        throwing(cb, new AssertionError());
        assertThat(cb.metrics().bufferedCalls()).isZero();
        throwing(cb, new LinkageError());
        assertThat(cb.metrics().failedCalls()).isEqualTo(1);
    }
}

package dev.resilience.circuitbreaker.internal;

import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.internal.Throwables;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A breaker's link in an asynchronous chain: admits the call, and records the outcome of the stage it returns when
 * that completes. A rejection, a supplier that throws or returns null, become a failed stage, never an exception of
 * {@link #invoke}. A stage that ends cancelled is recorded as ignored: the breaker cannot tell how the protected call
 * would have ended.
 */
final class AsyncBreakerInvoker implements AsyncInvoker {

    private final CircuitBreakerImpl breaker;
    private final AsyncInvoker next;

    AsyncBreakerInvoker(CircuitBreakerImpl breaker, AsyncInvoker next) {
        this.breaker = breaker;
        this.next = next;
    }

    @Override
    public CompletionStage<?> invoke(Supplier<? extends CompletionStage<?>> call) {
        BreakerState admitted;
        try {
            admitted = breaker.admit();
        } catch (CallNotPermittedException e) {
            return CompletableFuture.failedFuture(e);
        }
        BreakerSettings s = breaker.settings;
        long start = breaker.startTime(s);
        CompletionStage<?> stage;
        try {
            stage = next.invoke(call);
            if (stage == null) {
                throw new NullPointerException("the asynchronous call returned null instead of a CompletionStage");
            }
        } catch (Throwable t) {
            breaker.onError(admitted, s, start, CircuitBreakerImpl.MEASURE, t);
            return CompletableFuture.failedFuture(t);
        }
        stage.whenComplete((result, error) -> {
            if (error == null) {
                breaker.onResult(admitted, s, start, result);
            } else {
                Throwable cause = Throwables.unwrap(error);
                if (cause instanceof CancellationException) {
                    breaker.onIgnored(admitted, cause);
                } else {
                    breaker.onError(admitted, s, start, CircuitBreakerImpl.MEASURE, cause);
                }
            }
        });
        return stage;
    }
}

package dev.resilience.spring.interceptor;

import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Invoker;
import dev.resilience.core.internal.Throwables;
import org.aopalliance.intercept.MethodInvocation;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Chain links that call an annotation's fallback method when the policy it wraps fails or rejects,
 * unless the exception is one the policy's config ignores.
 */
final class FallbackInvokers {

    private static final Object NOT_APPLICABLE = new Object();

    private FallbackInvokers() {
    }

    static Invoker sync(Invoker next, Fallback fallback, Predicate<Throwable> ignored) {
        return (call, runner) -> {
            try {
                return next.invoke(call, runner);
            } catch (Throwable error) {
                if (ignored.test(error)) {
                    throw error;
                }
                MethodInvocation invocation = (MethodInvocation) call;
                Object result = fallback.invoke(invocation.getThis(), invocation.getArguments(), error, NOT_APPLICABLE);
                if (result == NOT_APPLICABLE) {
                    throw error;
                }
                return result;
            }
        };
    }

    static AsyncInvoker async(AsyncInvoker next, Fallback fallback, Predicate<Throwable> ignored) {
        return call -> {
            @SuppressWarnings("unchecked")
            CompletionStage<Object> stage = (CompletionStage<Object>) next.invoke(call);
            return stage.exceptionallyCompose(wrapped -> {
                Throwable error = Throwables.unwrap(wrapped);
                if (ignored.test(error)) {
                    return CompletableFuture.failedFuture(error);
                }
                InvocationCall invocationCall = (InvocationCall) (Supplier<?>) call;
                try {
                    Object result = fallback.invoke(invocationCall.invocation.getThis(),
                            invocationCall.invocation.getArguments(), error, NOT_APPLICABLE);
                    if (result == NOT_APPLICABLE) {
                        return CompletableFuture.failedFuture(error);
                    }
                    if (result == null) {
                        return CompletableFuture.failedFuture(new NullPointerException(
                                "fallback method '" + fallback.name() + "' returned null instead of a CompletionStage"));
                    }
                    @SuppressWarnings("unchecked")
                    CompletionStage<Object> fallbackStage = (CompletionStage<Object>) result;
                    return fallbackStage;
                } catch (Throwable fallbackError) {
                    return CompletableFuture.failedFuture(fallbackError);
                }
            });
        };
    }
}

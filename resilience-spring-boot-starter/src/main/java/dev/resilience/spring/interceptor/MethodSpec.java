package dev.resilience.spring.interceptor;

import dev.resilience.Policy;
import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Invoker;
import org.aopalliance.intercept.MethodInvocation;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Everything about one annotated method that can be known before it is called, resolved once: its
 * policies linked in order with their fallbacks, and how its return type is handled.
 */
final class MethodSpec {

    private final List<Policy> policies;
    private final Invoker invoker;
    private final AsyncInvoker asyncInvoker;
    private final boolean async;
    private final boolean completableFuture;
    private final boolean cloneEachAttempt;
    /** For a method returning a reactive type: its protection per subscription; otherwise {@code null}. */
    private final ReactiveMethodSupport.ReactiveCall reactive;

    MethodSpec(List<Policy> policies, Invoker invoker, AsyncInvoker asyncInvoker, boolean async,
               boolean completableFuture, boolean cloneEachAttempt, ReactiveMethodSupport.ReactiveCall reactive) {
        this.reactive = reactive;
        this.policies = policies;
        this.invoker = invoker;
        this.asyncInvoker = asyncInvoker;
        this.async = async;
        this.completableFuture = completableFuture;
        this.cloneEachAttempt = cloneEachAttempt;
    }

    /**
     * @param invocation the intercepted call
     * @param attempts how the proxy of this call runs an attempt that may be repeated
     * @return the call's result (a stage for an asynchronous method)
     * @throws Throwable what the call or a policy throws
     */
    Object invoke(MethodInvocation invocation, AttemptRunner attempts) throws Throwable {
        if (!async) {
            return invoker.invoke(invocation, cloneEachAttempt ? attempts : InvocationCall.PROCEED);
        }
        CompletionStage<?> stage = asyncInvoker.invoke(new InvocationCall(invocation, cloneEachAttempt ? attempts : null));
        return completableFuture ? stage.toCompletableFuture() : stage;
    }

    /** @return for a method returning a reactive type, its protection per subscription; otherwise {@code null} */
    ReactiveMethodSupport.ReactiveCall reactive() {
        return reactive;
    }

    /** @return the policies, outermost first */
    List<Policy> policies() {
        return policies;
    }

    boolean isAsync() {
        return async;
    }
}

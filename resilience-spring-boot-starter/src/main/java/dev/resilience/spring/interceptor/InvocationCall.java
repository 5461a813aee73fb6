package dev.resilience.spring.interceptor;

import dev.resilience.core.ThrowingSupplier;
import dev.resilience.core.Throwables;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * An intercepted method call as the core's invokers see it. When the chain may run the method more than
 * once (a retry), each attempt proceeds on a fresh clone of the untouched invocation, so advice inside
 * ours runs again for every attempt.
 */
abstract sealed class InvocationCall permits InvocationCall.Sync, InvocationCall.Async {

    final MethodInvocation invocation;
    private final boolean cloneEachAttempt;

    InvocationCall(MethodInvocation invocation, boolean cloneEachAttempt) {
        this.invocation = invocation;
        this.cloneEachAttempt = cloneEachAttempt && invocation instanceof ProxyMethodInvocation;
    }

    final Object proceed() throws Throwable {
        if (cloneEachAttempt) {
            return ((ProxyMethodInvocation) invocation).invocableClone().proceed();
        }
        return invocation.proceed();
    }

    /** A call of a method that returns a plain value (or nothing). */
    static final class Sync extends InvocationCall implements ThrowingSupplier<Object, Throwable> {
        Sync(MethodInvocation invocation, boolean cloneEachAttempt) {
            super(invocation, cloneEachAttempt);
        }

        @Override
        public Object get() throws Throwable {
            return proceed();
        }
    }

    /** A call of a method that returns a {@code CompletionStage}. */
    static final class Async extends InvocationCall implements Supplier<CompletionStage<?>> {
        Async(MethodInvocation invocation, boolean cloneEachAttempt) {
            super(invocation, cloneEachAttempt);
        }

        @Override
        public CompletionStage<?> get() {
            try {
                return (CompletionStage<?>) proceed();
            } catch (Throwable t) {
                // The core's innermost async link turns this into a failed stage.
                throw Throwables.<RuntimeException>sneakyThrow(t);
            }
        }
    }
}

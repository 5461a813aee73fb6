package dev.resilience.spring.interceptor;

import dev.resilience.core.Invoker;
import dev.resilience.core.ShutdownGate;
import dev.resilience.core.internal.Throwables;
import org.aopalliance.intercept.MethodInvocation;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * An intercepted method call as the core's invokers see it. A synchronous call travels through the
 * chain as the {@link MethodInvocation} itself with {@link #PROCEED} or an {@link AttemptRunner}, so nothing is
 * allocated per call; an asynchronous one as an instance of this class, a supplier of the method's stage.
 */
final class InvocationCall implements Supplier<CompletionStage<?>> {

    /** Runs a synchronous call once. */
    static final Invoker.Runner PROCEED = call -> proceedAdmitted((MethodInvocation) call);

    final MethodInvocation invocation;
    /** Runs each attempt where the chain may run the method more than once (a retry); {@code null}: runs once. */
    private final AttemptRunner attempts;

    InvocationCall(MethodInvocation invocation, AttemptRunner attempts) {
        this.invocation = invocation;
        this.attempts = attempts;
    }

    /**
     * Proceeds with the method on the current thread, marked as admitted work, so that the annotated methods it
     * calls still run once shutdown has begun; on whatever thread a policy runs it (a timeout worker, a pool).
     */
    static Object proceedAdmitted(MethodInvocation invocation) throws Throwable {
        ShutdownGate.AdmittedWork work = ShutdownGate.admittedWork();
        work.begin();
        try {
            return invocation.proceed();
        } finally {
            work.end();
        }
    }

    @Override
    public CompletionStage<?> get() {
        try {
            return (CompletionStage<?>) (attempts == null ? proceedAdmitted(invocation) : attempts.proceed(invocation));
        } catch (Throwable t) {
            // The core's innermost async link turns this into a failed stage.
            throw Throwables.<RuntimeException>sneakyThrow(t);
        }
    }
}

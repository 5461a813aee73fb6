package dev.resilience.spring.interceptor;

import dev.resilience.core.Invoker;
import dev.resilience.core.Throwables;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.framework.Advised;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * An intercepted method call as the core's invokers see it. A synchronous call travels through the
 * chain as the {@link MethodInvocation} itself with one of the runners here, so nothing is allocated per
 * call; an asynchronous one as an instance of this class, a supplier of the method's stage.
 *
 * <p>When the chain may run the method more than once (a retry), each attempt proceeds on a fresh clone
 * of the untouched invocation, so advice inside ours runs again for every attempt.
 */
final class InvocationCall implements Supplier<CompletionStage<?>> {

    /** Runs a synchronous call once. */
    static final Invoker.Runner PROCEED = call -> ((MethodInvocation) call).proceed();

    /** Runs each attempt of a synchronous call on a fresh clone of the untouched invocation. */
    static final Invoker.Runner PROCEED_CLONE = call -> proceed((MethodInvocation) call, true);

    final MethodInvocation invocation;
    private final boolean cloneEachAttempt;

    InvocationCall(MethodInvocation invocation, boolean cloneEachAttempt) {
        this.invocation = invocation;
        this.cloneEachAttempt = cloneEachAttempt;
    }

    private static Object proceed(MethodInvocation invocation, boolean clone) throws Throwable {
        if (clone && invocation instanceof ProxyMethodInvocation proxy && !onlyAdvisor(proxy)) {
            return proxy.invocableClone().proceed();
        }
        return invocation.proceed();
    }

    /**
     * When ours is the proxy's only advisor, proceeding again simply calls the target again, so an attempt
     * needs no clone (and allocates nothing); with other advisors, advice inside ours must run again.
     */
    private static boolean onlyAdvisor(ProxyMethodInvocation invocation) {
        return invocation.getProxy() instanceof Advised advised && advised.getAdvisorCount() == 1;
    }

    @Override
    public CompletionStage<?> get() {
        try {
            return (CompletionStage<?>) proceed(invocation, cloneEachAttempt);
        } catch (Throwable t) {
            // The core's innermost async link turns this into a failed stage.
            throw Throwables.<RuntimeException>sneakyThrow(t);
        }
    }
}

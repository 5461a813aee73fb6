package dev.resilience.spring.interceptor;

import dev.resilience.ShutdownInProgressException;
import dev.resilience.core.ShutdownGate;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The one interception for all annotations of one bean class. The specs of its methods were resolved at
 * start-up; a call costs one map lookup, the shutdown gate and the policies themselves.
 */
final class ResilienceMethodInterceptor implements MethodInterceptor {

    private final Map<Method, MethodSpec> specs;
    private final ShutdownGate gate;
    private final AttemptRunner attempts;

    ResilienceMethodInterceptor(Map<Method, MethodSpec> specs, ShutdownGate gate, AttemptRunner attempts) {
        this.specs = specs;
        this.gate = gate;
        this.attempts = attempts;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        MethodSpec spec = specs.get(invocation.getMethod());
        if (spec == null) {
            return invocation.proceed();
        }
        ReactiveMethodSupport.ReactiveCall reactive = spec.reactive();
        if (reactive != null) {
            // Nothing is admitted here: each subscription enters the gate, and a refusal is an error signal.
            return reactive.invoke(invocation, gate);
        }
        if (!gate.tryEnter()) {
            ShutdownInProgressException rejection = new ShutdownInProgressException(spec.policies().get(0).name());
            if (spec.isAsync()) {
                return java.util.concurrent.CompletableFuture.failedFuture(rejection);
            }
            throw rejection;
        }
        if (spec.isAsync()) {
            Object result;
            try {
                result = spec.invoke(invocation, attempts);
            } catch (Throwable t) {
                gate.exit();
                throw t;
            }
            ((CompletionStage<?>) result).whenComplete((value, error) -> gate.exit());
            return result;
        }
        try {
            return spec.invoke(invocation, attempts);
        } finally {
            gate.exit();
        }
    }

    boolean handles(Method method) {
        return specs.containsKey(method);
    }
}

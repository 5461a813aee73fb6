package dev.resilience.spring.interceptor;

import dev.resilience.ShutdownInProgressException;
import dev.resilience.core.ShutdownGate;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The one interception for all annotations of one bean class. The specs of its methods were resolved at
 * start-up; a call costs one map lookup, the shutdown gate and the policies themselves.
 *
 * <p>The starter's proxies use it, and so does its AspectJ aspect ({@code resilience.aop.mode=aspectj}), which
 * hands it each woven call as a {@link MethodInvocation}: one chain per method, whoever intercepts the call.
 * Thread-safe.
 */
public final class ResilienceMethodInterceptor implements MethodInterceptor {

    private final Map<Method, MethodSpec> specs;
    private final ShutdownGate gate;
    private final AttemptRunner attempts;

    ResilienceMethodInterceptor(Map<Method, MethodSpec> specs, ShutdownGate gate, AttemptRunner attempts) {
        this.specs = specs;
        this.gate = gate;
        this.attempts = attempts;
    }

    /**
     * The interception of one woven class's annotated methods, for the AspectJ aspect: its methods resolved as for a
     * bean the starter proxies (same annotations, fallbacks, checks and chains), except that private methods can be
     * protected too (the weaver reaches them), and each attempt of a retry proceeds again on the same invocation.
     *
     * @param resolver resolves the annotations
     * @param gate the shutdown gate shared by all annotated methods
     * @param targetClass the class of the woven object
     * @param name how messages name the object (a bean's name)
     * @return the interception; it lets calls of methods it does not protect simply proceed
     * @throws dev.resilience.spring.ResilienceConfigurationException describing a misuse of an annotation
     */
    public static ResilienceMethodInterceptor forWovenClass(MethodSpecResolver resolver, ShutdownGate gate,
                                                            Class<?> targetClass, String name) {
        return new ResilienceMethodInterceptor(resolver.resolveAll(targetClass, name, false), gate, AttemptRunner.PROCEED_AGAIN);
    }

    /**
     * @param targetClass a class
     * @return {@code false} when no method of the class can carry one of the annotations (a cheap check that
     *     resolves nothing); {@code true} when some may
     */
    public static boolean mayHaveAnnotations(Class<?> targetClass) {
        return ResilienceAnnotationBeanPostProcessor.mayHaveAnnotations(targetClass);
    }

    /** @return the protected methods as declared (without the bridge and interface methods that lead to them) */
    public Set<Method> annotatedMethods() {
        Set<Method> methods = new LinkedHashSet<>();
        for (Method method : specs.keySet()) {
            if (!method.isBridge() && !method.getDeclaringClass().isInterface()) {
                methods.add(method);
            }
        }
        return methods;
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

package dev.resilience.spring.interceptor;

import dev.resilience.Policy;
import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Invoker;
import dev.resilience.retry.Retry;

import java.lang.reflect.Method;
import java.util.List;

/**
 * Observation of annotated methods' calls (one per protected call, and one per attempt of a method with a retry). The
 * starter's {@code dev.resilience.spring.observation} package provides it when the application has a Micrometer
 * {@code ObservationRegistry}; without one the chains are left as they are, so a call pays nothing for it.
 *
 * <p>The resolver wraps each method's linked chain once, at start-up, inside its fallback: the observation covers the
 * policies and the method, the fallback runs after it has ended.
 */
public interface MethodObservationSupport {

    /**
     * @param chain the method's policies linked as a synchronous chain, outermost first
     * @param method what is observed
     * @return the chain, observed
     */
    Invoker observe(Invoker chain, ObservedMethod method);

    /**
     * Used for methods returning {@code CompletionStage} and reactive types alike: a reactive subscription runs
     * through the asynchronous chain, each attempt one call of the supplier it is given.
     *
     * @param chain the method's policies linked as an asynchronous chain, outermost first
     * @param method what is observed
     * @return the chain, observed
     */
    AsyncInvoker observeAsync(AsyncInvoker chain, ObservedMethod method);

    /**
     * One annotated method, as its observations describe it.
     *
     * @param method the annotated method
     * @param targetClass the bean's user class
     * @param policies its policies, outermost first
     * @param retry its retry, whose attempts are observed one by one, or {@code null}
     */
    record ObservedMethod(Method method, Class<?> targetClass, List<Policy> policies, Retry retry) {
    }
}

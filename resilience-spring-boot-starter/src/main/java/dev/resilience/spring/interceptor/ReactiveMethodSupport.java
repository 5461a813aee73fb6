package dev.resilience.spring.interceptor;

import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.ShutdownGate;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.core.ReactiveAdapterRegistry;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.function.Predicate;

/**
 * Protection of annotated methods returning a reactive type ({@code Mono}, {@code Flux}, any type Spring's
 * {@code ReactiveAdapterRegistry} knows), per subscription instead of per call. The starter's
 * {@code dev.resilience.spring.reactive} package provides it when Project Reactor is on the class path; without
 * one, such methods are intercepted like any other synchronous method.
 *
 * <p>The interceptor resolves the method's policies into its asynchronous chain as for a {@code CompletionStage}
 * method, and its one fallback, and hands both over once at start-up; the support protects each subscription
 * with the chain, applies the fallback outside it, and counts the subscription in the shutdown gate.
 */
public interface ReactiveMethodSupport {

    /**
     * Whether a method's work runs after it has returned, when what it returns is subscribed or collected, so that
     * protecting the call itself would protect only the building of a publisher: a Kotlin {@code suspend} function,
     * a return type Spring's shared {@code ReactiveAdapterRegistry} knows, or one that is a Reactive Streams, a
     * {@code java.util.concurrent.Flow} or a Kotlin {@code Flow} publisher (looked up by name, so that none of these
     * need be on the class path). {@code CompletionStage}s are not counted: the interceptor handles them itself.
     *
     * @param method an annotated method
     * @return whether only a reactive support can protect it
     */
    static boolean returnsReactiveType(Method method) {
        Class<?> type = method.getReturnType();
        if (CompletionStage.class.isAssignableFrom(type)) {
            return false;
        }
        Class<?>[] parameters = method.getParameterTypes();
        if (parameters.length > 0 && "kotlin.coroutines.Continuation".equals(parameters[parameters.length - 1].getName())) {
            return true;
        }
        if (DeferredReturnTypes.isOrExtends(type, Set.of("org.reactivestreams.Publisher", "java.util.concurrent.Flow$Publisher",
                "kotlinx.coroutines.flow.Flow"))) {
            return true;
        }
        ReactiveAdapterRegistry registry = ReactiveAdapterRegistry.getSharedInstance();
        return registry.hasAdapters() && registry.getAdapter(type) != null;
    }

    /**
     * @param method an annotated method that does not return {@code CompletionStage}
     * @return whether its return type is reactive and protected by this support
     */
    boolean isReactive(Method method);

    /**
     * Resolves the fallback of a reactive method whose fallback methods this support finds itself, because their
     * signature differs from the method's (a Kotlin {@code suspend} function's fallback is a suspend function with
     * the exception parameter before the {@code Continuation}). Called once at start-up, before {@link #create}.
     *
     * @param method an annotated method for which {@link #isReactive} is true
     * @param targetClass the bean's user class
     * @param fallbackName the fallback method's name the annotations give
     * @return the fallback, or {@code null} where the interceptor resolves it as for any other method (same
     *     parameters, the method's return type)
     * @throws IllegalArgumentException describing why no method of that name can serve
     */
    default FallbackCall fallback(Method method, Class<?> targetClass, String fallbackName) {
        return null;
    }

    /**
     * Called once per annotated reactive method at start-up.
     *
     * @param method what the interceptor resolved for the method
     * @return the protection of its calls
     * @throws IllegalArgumentException describing a misuse; the starter fails start-up with it, naming the method
     */
    ReactiveCall create(ReactiveMethod method);

    /**
     * What the interceptor resolved for one reactive method.
     *
     * @param method the annotated method
     * @param targetClass the bean's user class
     * @param instanceName the name of its outermost instance, for a {@code ShutdownInProgressException}
     * @param chain its policies linked as an asynchronous chain, outermost first, without the fallback
     * @param fallback its fallback, or {@code null}
     * @param withheld exceptions its fallback never receives (those the instances' configs ignore)
     * @param bindsInvocation whether the chain reads the invocation from its call: the support must then hand each
     *     subscription's call to the chain as a {@link BoundCall}
     */
    record ReactiveMethod(Method method, Class<?> targetClass, String instanceName, AsyncInvoker chain,
                          FallbackCall fallback, Predicate<Throwable> withheld, boolean bindsInvocation) {

        /**
         * A method whose chain needs nothing of the invocation.
         *
         * @param method the annotated method
         * @param targetClass the bean's user class
         * @param instanceName the name of its outermost instance
         * @param chain its policies linked as an asynchronous chain
         * @param fallback its fallback, or {@code null}
         * @param withheld exceptions its fallback never receives
         */
        public ReactiveMethod(Method method, Class<?> targetClass, String instanceName, AsyncInvoker chain,
                              FallbackCall fallback, Predicate<Throwable> withheld) {
            this(method, targetClass, instanceName, chain, fallback, withheld, false);
        }
    }

    /**
     * The call a chain gets for a subscription of a method whose chain reads the invocation ({@link
     * ReactiveMethod#bindsInvocation()}: a keyed instance reads its key from the arguments): the subscription's own
     * call, with the invocation it belongs to. A support hands each subscription's call to the chain wrapped in one.
     *
     * @param call the subscription's call (one attempt per {@code get()})
     * @param invocation the intercepted call that returned the publisher
     */
    record BoundCall(Supplier<? extends CompletionStage<?>> call, MethodInvocation invocation)
            implements Supplier<CompletionStage<?>> {

        @Override
        public CompletionStage<?> get() {
            return call.get();
        }
    }

    /** The protection of one reactive method's calls. */
    @FunctionalInterface
    interface ReactiveCall {

        /**
         * Calls the method (once, to obtain its publisher) and returns that publisher protected: nothing is admitted,
         * charged or timed until it is subscribed, and each subscription is one call through the policies.
         *
         * @param invocation the intercepted call
         * @param gate the shutdown gate, entered at each subscription and exited at its end
         * @return the method's reactive type, protected; never throws (failures are error signals)
         */
        Object invoke(MethodInvocation invocation, ShutdownGate gate);
    }

    /** A method's fallback, resolved and checked at start-up. */
    @FunctionalInterface
    interface FallbackCall {

        /**
         * @param target the bean
         * @param args the call's arguments
         * @param error what the protected subscription ended with
         * @param notApplicable returned when no fallback method accepts {@code error}
         * @return the fallback method's result, or {@code notApplicable}
         * @throws Throwable what the fallback method throws
         */
        Object invoke(Object target, Object[] args, Throwable error, Object notApplicable) throws Throwable;
    }
}

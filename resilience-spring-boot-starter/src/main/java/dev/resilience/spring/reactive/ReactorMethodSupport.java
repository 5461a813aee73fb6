package dev.resilience.spring.reactive;

import dev.resilience.core.ShutdownGate;
import dev.resilience.reactor.ReactorResilience;
import dev.resilience.spring.interceptor.ReactiveMethodSupport;
import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Publisher;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.util.ClassUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import java.lang.reflect.Method;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Protects annotated methods returning {@code Mono}, {@code Flux} or any other type Spring's
 * {@link ReactiveAdapterRegistry} knows (adapted to a {@code Publisher} and back), per subscription, with
 * {@link ReactorResilience} over the method's asynchronous chain.
 *
 * <ul>
 *   <li>The method itself is called once, when it is called (Reactor's assembly), outside the policies: it builds
 *   the publisher. No policy acts then: nothing is admitted, charged, timed or counted until the publisher is
 *   subscribed. A method that throws, or returns {@code null}, instead of returning a publisher gives a publisher
 *   failing each subscription with that exception (a {@code NullPointerException}), through the policies.</li>
 *   <li>Each subscription is one call through the policies; a retry <em>re-subscribes</em> to the same publisher (as
 *   Reactor's {@code retry()} and Resilience4j's operators do) and does not call the method again: a cold publisher
 *   (a {@code WebClient} request, {@code Mono.fromCallable}) does its work again, a hot or cached one does not.</li>
 *   <li>The method's one fallback is applied to the error of the protected subscription, outside all of its
 *   policies, once: it is called with the method's arguments (and the exception) and returns the method's reactive
 *   type, which is then subscribed in place of the failed one. The exceptions the instances' configs ignore never
 *   reach it.</li>
 *   <li>The shutdown gate counts each subscription from subscribing to its terminal signal or cancellation. Once
 *   shutdown has begun a new top-level subscription ends with {@code ShutdownInProgressException} as its error
 *   signal (no fallback); a subscription made inside a protected one (its Reactor context carries the mark) still
 *   runs, as does synchronous work the source does while it is being subscribed.</li>
 * </ul>
 *
 * <p>A Kotlin {@code suspend} function is protected the same way where kotlinx-coroutines-reactor is present (Spring
 * AOP then invokes it as a {@code Mono} and awaits the protected one): each call is one subscription, so a retry
 * runs the function's body again. Its fallback is a suspend function too ({@link SuspendFallback}). A method returning
 * Kotlin's {@code Flow} is protected per collection, as a {@code Flux} per subscription.
 *
 * <p>Nothing reactive runs unprotected: a suspend function without kotlinx-coroutines-reactor, or a publisher type
 * that cannot be adapted to a {@code Publisher} and back to the method's own type, fails start-up naming the method.
 *
 * <p>Thread-safe; resolved once per method at start-up.
 */
public final class ReactorMethodSupport implements ReactiveMethodSupport {

    /** Marks, in the Reactor context, the sources of subscriptions the shutdown gate has admitted. */
    static final String ADMITTED_KEY = "dev.resilience.spring.admitted";

    private static final Context ADMITTED = Context.of(ADMITTED_KEY, Boolean.TRUE);

    private static final Object NOT_APPLICABLE = new Object();

    private static final boolean COROUTINES_REACTOR =
            ClassUtils.isPresent("kotlinx.coroutines.reactor.MonoKt", ReactorMethodSupport.class.getClassLoader());

    private final ReactiveAdapterRegistry adapters;

    /** Uses Spring's shared {@link ReactiveAdapterRegistry}. */
    public ReactorMethodSupport() {
        this(ReactiveAdapterRegistry.getSharedInstance());
    }

    /**
     * @param adapters the reactive types known, and how to adapt them to a {@code Publisher} and back
     */
    public ReactorMethodSupport(ReactiveAdapterRegistry adapters) {
        this.adapters = Objects.requireNonNull(adapters, "adapters");
    }

    @Override
    public boolean isReactive(Method method) {
        if (ReactiveMethodSupport.returnsReactiveType(method)) {
            return true; // create() protects it, or fails start-up saying why it cannot
        }
        Class<?> type = method.getReturnType();
        return !CompletionStage.class.isAssignableFrom(type) && adapters.getAdapter(type) != null;
    }

    @Override
    public FallbackCall fallback(Method method, Class<?> targetClass, String fallbackName) {
        if (SuspendFallback.isSuspendFunction(method)) {
            return SuspendFallback.resolve(method, targetClass, fallbackName);
        }
        SuspendFallback.rejectSuspendFallbacks(method, targetClass, fallbackName);
        return null;
    }

    @Override
    public ReactiveCall create(ReactiveMethod method) {
        Method m = method.method();
        if (SuspendFallback.isSuspendFunction(m)) {
            if (!COROUTINES_REACTOR) {
                throw new IllegalArgumentException("it is a Kotlin suspend function, which Spring AOP runs through Reactor (so that "
                        + "it can be protected) only with org.jetbrains.kotlinx:kotlinx-coroutines-reactor on the class path; add it");
            }
            // Spring AOP invokes a suspend function as a Mono (a Flux for a Flow) and awaits what we return.
            return new Call(method, null, true, ReactorResilience.of(method.chain()));
        }
        Class<?> type = m.getReturnType();
        ReactiveAdapter adapter = CompletionStage.class.isAssignableFrom(type) ? null : adapters.getAdapter(type);
        if (adapter == null) {
            throw new IllegalArgumentException("its return type " + type.getName() + " is a publisher that Spring's "
                    + "ReactiveAdapterRegistry does not know" + (isKotlinFlow(type) ? " (it adapts Kotlin's Flow only with "
                    + "org.jetbrains.kotlinx:kotlinx-coroutines-reactor on the class path: add it)" : ", so it cannot be protected "
                    + "per subscription; declare the method as returning Mono, Flux or Publisher"));
        }
        Class<?> adapted = adapter.getReactiveType();
        // What the protected call returns: the adapter's type, built from a Flux for the Publisher adapter (identity).
        boolean returnable = type.isAssignableFrom(adapted) || (adapted == Publisher.class && type.isAssignableFrom(Flux.class));
        if (!returnable) {
            throw new IllegalArgumentException("its return type " + type.getName() + " is known to Spring's ReactiveAdapterRegistry "
                    + "only as " + adapted.getName() + ", so the protected publisher cannot be returned as a " + type.getSimpleName()
                    + "; declare the method as returning " + (adapted == Publisher.class ? "Flux (or Publisher)" : adapted.getSimpleName()));
        }
        boolean single = Mono.class.isAssignableFrom(type) || (!Flux.class.isAssignableFrom(type) && !adapter.isMultiValue());
        return new Call(method, adapter, single, ReactorResilience.of(method.chain()));
    }

    private static boolean isKotlinFlow(Class<?> type) {
        if (type == null) {
            return false;
        }
        if (type.getName().equals("kotlinx.coroutines.flow.Flow")) {
            return true;
        }
        for (Class<?> implemented : type.getInterfaces()) {
            if (isKotlinFlow(implemented)) {
                return true;
            }
        }
        return isKotlinFlow(type.getSuperclass());
    }

    /** Enters the gate for a subscription; a subscription inside an admitted one passes a closed gate. */
    static boolean enter(ShutdownGate gate, ContextView context) {
        if (!context.hasKey(ADMITTED_KEY)) {
            return gate.tryEnter();
        }
        ShutdownGate.AdmittedWork work = ShutdownGate.admittedWork();
        work.begin();
        try {
            return gate.tryEnter();
        } finally {
            work.end();
        }
    }

    /** One method's protection. */
    private static final class Call implements ReactiveCall {

        private final Method method;
        private final String instanceName;
        /** {@code null} for a Kotlin suspend function, which Spring AOP invokes and awaits as a publisher. */
        private final ReactiveAdapter adapter;
        private final boolean single;
        private final ReactorResilience protect;
        /** For a chain that reads the invocation (a keyed instance): the chain, bound to each call's invocation. */
        private final dev.resilience.core.AsyncInvoker boundChain;
        private final FallbackCall fallback;
        private final Predicate<Throwable> withheld;

        Call(ReactiveMethod method, ReactiveAdapter adapter, boolean single, ReactorResilience protect) {
            this.method = method.method();
            this.instanceName = method.instanceName();
            this.adapter = adapter;
            this.single = single;
            this.protect = protect;
            this.boundChain = method.bindsInvocation() ? method.chain() : null;
            this.fallback = method.fallback();
            this.withheld = method.withheld();
        }

        @Override
        public Object invoke(MethodInvocation invocation, ShutdownGate gate) {
            Publisher<Object> source = source(invocation);
            if (adapter == null) {
                // A suspend function: Spring AOP awaits the Mono (collects the Flux of a Flow) we return.
                return source instanceof Flux<Object> flux ? flux(flux, invocation, gate) : mono(Mono.from(source), invocation, gate);
            }
            Publisher<Object> result = single ? mono(Mono.from(source), invocation, gate) : flux(Flux.from(source), invocation, gate);
            return adapter.fromPublisher(result);
        }

        @SuppressWarnings("unchecked")
        private Publisher<Object> source(MethodInvocation invocation) {
            Object returned;
            try {
                returned = invocation.proceed();
            } catch (Throwable t) {
                return Mono.error(t);
            }
            if (returned == null) {
                return Mono.error(new NullPointerException("Method " + method.getDeclaringClass().getName() + "." + method.getName()
                        + " returned null instead of a " + method.getReturnType().getSimpleName()));
            }
            return adapter == null ? (Publisher<Object>) returned : (Publisher<Object>) adapter.toPublisher(returned);
        }

        /**
         * The operators for one call: shared, unless the chain reads the invocation, when each subscription's call
         * reaches it with the invocation (a few small objects per call, for keyed methods only).
         */
        private ReactorResilience protect(MethodInvocation invocation) {
            if (boundChain == null) {
                return protect;
            }
            dev.resilience.core.AsyncInvoker chain = boundChain;
            return ReactorResilience.of(call -> chain.invoke(new ReactiveMethodSupport.BoundCall(call, invocation)));
        }

        private Mono<Object> mono(Mono<Object> source, MethodInvocation invocation, ShutdownGate gate) {
            Mono<Object> protectedSource = protect(invocation).mono(new AdmittedMono<>(source.contextWrite(ADMITTED)));
            Mono<Object> withFallback = fallback == null ? protectedSource
                    : protectedSource.onErrorResume(error -> Mono.from(fallback(invocation, error)));
            return GatedPublisher.mono(withFallback, gate, instanceName);
        }

        private Flux<Object> flux(Flux<Object> source, MethodInvocation invocation, ShutdownGate gate) {
            Flux<Object> protectedSource = protect(invocation).flux(new AdmittedFlux<>(source.contextWrite(ADMITTED)));
            Flux<Object> withFallback = fallback == null ? protectedSource
                    : protectedSource.onErrorResume(error -> fallback(invocation, error));
            return GatedPublisher.flux(withFallback, gate, instanceName);
        }

        /** The fallback's publisher for a failed subscription, or that failure where no fallback method applies. */
        @SuppressWarnings("unchecked")
        private Publisher<Object> fallback(MethodInvocation invocation, Throwable error) {
            if (withheld.test(error)) {
                return Mono.error(error);
            }
            Object result;
            try {
                result = fallback.invoke(invocation.getThis(), invocation.getArguments(), error, NOT_APPLICABLE);
            } catch (Throwable fallbackError) {
                return Mono.error(fallbackError);
            }
            if (result == NOT_APPLICABLE) {
                return Mono.error(error);
            }
            if (result == null) {
                return Mono.error(new NullPointerException("The fallback method of " + method.getDeclaringClass().getName() + "."
                        + method.getName() + " returned null instead of a " + method.getReturnType().getSimpleName()));
            }
            // A suspend function's fallback is one too, already invoked as a publisher (a Mono, or a Flux for a Flow).
            Publisher<Object> publisher = adapter == null ? (Publisher<Object>) result : (Publisher<Object>) adapter.toPublisher(result);
            boolean one = adapter == null ? !(publisher instanceof Flux) : single;
            // The fallback's publisher is part of the admitted call: what it subscribes still runs during shutdown.
            return one ? new AdmittedMono<>(Mono.from(publisher).contextWrite(ADMITTED))
                    : new AdmittedFlux<>(Flux.from(publisher).contextWrite(ADMITTED));
        }

        @Override
        public String toString() {
            return "ReactorMethodSupport.Call[" + method + "]";
        }
    }
}

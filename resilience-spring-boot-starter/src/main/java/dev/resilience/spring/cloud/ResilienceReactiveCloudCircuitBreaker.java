package dev.resilience.spring.cloud;

import dev.resilience.Policy;
import dev.resilience.ShutdownInProgressException;
import dev.resilience.core.ShutdownGate;
import dev.resilience.reactor.ReactorResilience;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreaker;
import reactor.core.CorePublisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import java.util.List;
import java.util.function.Function;

/**
 * A Spring Cloud {@link ReactiveCircuitBreaker} protecting each <em>subscription</em> with the starter's own
 * policies (the registry's circuit breaker of the same name, and the timeout and bulkhead where composed, see
 * {@link ResilienceReactiveCircuitBreakerFactory}), through the {@code resilience-reactor} operators
 * ({@link ReactorResilience}): nothing happens at assembly; rejections ({@code CallNotPermittedException} when the
 * breaker is open, {@code TimeoutExceededException}, {@code BulkheadFullException}) are error signals; cancelling
 * gives the permits back; a {@code Timeout} bounds the whole subscription and puts its deadline into the Reactor
 * context.
 *
 * <ul>
 *   <li>The fallback receives the error of the protected subscription, whatever it is (as with Spring Cloud's other
 *   implementations, also an exception the breaker ignores), and its publisher is subscribed in place of the failed
 *   one, once, outside the policies.</li>
 *   <li>Without a fallback, the error reaches the subscriber as Spring Cloud's {@code NoFallbackAvailableException}
 *   with the failure as its cause.</li>
 *   <li>The shutdown gate counts each subscription from subscribing to its terminal signal or cancellation; once
 *   shutdown has begun a new top-level subscription ends with {@link ShutdownInProgressException} as its error signal
 *   (no fallback); a subscription made inside a protected one still runs.</li>
 * </ul>
 *
 * <p>Thread-safe; the factory creates one per id and returns it to every caller.
 */
public final class ResilienceReactiveCloudCircuitBreaker implements ReactiveCircuitBreaker {

    /**
     * Marks, in the Reactor context, the sources of subscriptions the shutdown gate has admitted, so that a subscription
     * made inside one passes a closed gate. The same key as the starter's annotated reactive methods use
     * ({@code dev.resilience.spring.reactive.ReactorMethodSupport}), so that each sees the other's admitted work.
     */
    static final String ADMITTED_KEY = "dev.resilience.spring.admitted";

    private static final Context ADMITTED = Context.of(ADMITTED_KEY, Boolean.TRUE);

    private final String id;
    private final List<Policy> policies;
    private final ReactorResilience protect;
    private final ShutdownGate gate;

    ResilienceReactiveCloudCircuitBreaker(String id, List<Policy> policies, ShutdownGate gate) {
        this.id = id;
        this.policies = policies;
        this.protect = ReactorResilience.of(policies);
        this.gate = gate;
    }

    @Override
    public <T> Mono<T> run(Mono<T> toRun, Function<Throwable, Mono<T>> fallback) {
        Mono<T> protectedSource = protect.mono(new AdmittedMono<>(toRun.contextWrite(ADMITTED)));
        Mono<T> withFallback = fallback == null ? protectedSource : protectedSource.onErrorResume(fallback);
        return Mono.deferContextual(context -> enter(context)
                ? withFallback.doFinally(signal -> gate.exit())
                : Mono.error(new ShutdownInProgressException(id)));
    }

    @Override
    public <T> Flux<T> run(Flux<T> toRun, Function<Throwable, Flux<T>> fallback) {
        Flux<T> protectedSource = protect.flux(new AdmittedFlux<>(toRun.contextWrite(ADMITTED)));
        Flux<T> withFallback = fallback == null ? protectedSource : protectedSource.onErrorResume(fallback);
        return Flux.deferContextual(context -> enter(context)
                ? withFallback.doFinally(signal -> gate.exit())
                : Flux.error(new ShutdownInProgressException(id)));
    }

    /** Enters the gate for a subscription; one inside an admitted subscription passes a closed gate. */
    private boolean enter(ContextView context) {
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

    /** @return the id this breaker was created with (the name of its policies) */
    public String id() {
        return id;
    }

    /** @return the policies each subscription runs through, outermost first */
    public List<Policy> policies() {
        return policies;
    }

    /** @return the registry's circuit breaker this one runs on */
    public dev.resilience.circuitbreaker.CircuitBreaker circuitBreaker() {
        return CloudPolicies.breaker(policies);
    }

    @Override
    public String toString() {
        return "ResilienceReactiveCloudCircuitBreaker[" + id + ": " + policies.stream().map(Policy::kind).toList() + "]";
    }

    /** Subscribes with the thread marked as admitted work: what the source does while being subscribed passes a closed gate. */
    private static <T> void subscribeAdmitted(CorePublisher<? extends T> source, CoreSubscriber<? super T> actual) {
        ShutdownGate.AdmittedWork work = ShutdownGate.admittedWork();
        work.begin();
        try {
            source.subscribe(actual);
        } finally {
            work.end();
        }
    }

    private static final class AdmittedMono<T> extends MonoOperator<T, T> {

        AdmittedMono(Mono<? extends T> source) {
            super(source);
        }

        @Override
        public void subscribe(CoreSubscriber<? super T> actual) {
            subscribeAdmitted(source, actual);
        }
    }

    private static final class AdmittedFlux<T> extends FluxOperator<T, T> {

        AdmittedFlux(Flux<? extends T> source) {
            super(source);
        }

        @Override
        public void subscribe(CoreSubscriber<? super T> actual) {
            subscribeAdmitted(source, actual);
        }
    }
}

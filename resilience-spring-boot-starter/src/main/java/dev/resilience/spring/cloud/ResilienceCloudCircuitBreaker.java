package dev.resilience.spring.cloud;

import dev.resilience.Policy;
import dev.resilience.Resilience;
import dev.resilience.ShutdownInProgressException;
import dev.resilience.core.Invoker;
import dev.resilience.core.ShutdownGate;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A Spring Cloud {@link org.springframework.cloud.client.circuitbreaker.CircuitBreaker} running each call through
 * the starter's own policies: the registry's circuit breaker of the same name (the one
 * {@code @CircuitBreaker(name = ...)} uses), and the timeout and bulkhead of that name where composed (see
 * {@link ResilienceCircuitBreakerFactory}). So the actuator, metrics, events and health see these calls, a
 * {@code Timeout} sets the call's deadline (which HTTP clients propagate), and shutdown drains them.
 *
 * <ul>
 *   <li>{@link #run(Supplier, Function)} runs the supplier on the calling thread through the policies; any exception
 *   from it or a policy goes to the fallback, our rejections included ({@code CallNotPermittedException} when the
 *   breaker is open, {@code TimeoutExceededException}, {@code BulkheadFullException}). As with Spring Cloud's other
 *   implementations, the fallback receives every failure, also those the breaker's config ignores (they count neither
 *   as success nor failure, but the caller still needs an answer). It runs once, outside the policies.</li>
 *   <li>{@link #run(Supplier)} without a fallback throws Spring Cloud's {@code NoFallbackAvailableException} with
 *   the failure as its cause.</li>
 *   <li>Once shutdown has begun, a new top-level call is refused with {@link ShutdownInProgressException}, thrown
 *   without calling the fallback (as an annotated method refuses it); calls made from inside an admitted call (from
 *   the supplier or the fallback) still run.</li>
 * </ul>
 *
 * <p>Thread-safe; the factory creates one per id and returns it to every caller.
 */
public final class ResilienceCloudCircuitBreaker implements org.springframework.cloud.client.circuitbreaker.CircuitBreaker {

    /** Runs the supplier with the thread marked as admitted work, on whatever thread a policy runs it. */
    private static final Invoker.Runner ADMITTED_SUPPLIER = call -> {
        ShutdownGate.AdmittedWork work = ShutdownGate.admittedWork();
        work.begin();
        try {
            return ((Supplier<?>) call).get();
        } finally {
            work.end();
        }
    };

    private final String id;
    private final List<Policy> policies;
    private final Invoker chain;
    private final ShutdownGate gate;

    ResilienceCloudCircuitBreaker(String id, List<Policy> policies, ShutdownGate gate) {
        this.id = id;
        this.policies = policies;
        this.chain = Resilience.compose(policies).invoker();
        this.gate = gate;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T run(Supplier<T> toRun, Function<Throwable, T> fallback) {
        if (!gate.tryEnter()) {
            throw new ShutdownInProgressException(id);
        }
        try {
            Throwable failure;
            try {
                return (T) chain.invoke(toRun, ADMITTED_SUPPLIER);
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError error) {
                    throw error;
                }
                failure = t;
            }
            ShutdownGate.AdmittedWork work = ShutdownGate.admittedWork();
            work.begin();
            try {
                return fallback.apply(failure);
            } finally {
                work.end();
            }
        } finally {
            gate.exit();
        }
    }

    /** @return the id this breaker was created with (the name of its policies) */
    public String id() {
        return id;
    }

    /** @return the policies each call runs through, outermost first: the circuit breaker, and a timeout and bulkhead where composed */
    public List<Policy> policies() {
        return policies;
    }

    /** @return the registry's circuit breaker this one runs on */
    public dev.resilience.circuitbreaker.CircuitBreaker circuitBreaker() {
        return CloudPolicies.breaker(policies);
    }

    @Override
    public String toString() {
        return "ResilienceCloudCircuitBreaker[" + id + ": " + policies.stream().map(Policy::kind).toList() + "]";
    }
}

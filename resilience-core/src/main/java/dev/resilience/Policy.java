package dev.resilience;

import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Events;
import dev.resilience.core.Invoker;
import dev.resilience.core.ResilienceEvent;
import dev.resilience.core.ThrowingSupplier;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A resilience policy instance: a circuit breaker, retry, bulkhead, rate limiter or timeout.
 *
 * <p>Every policy can run a call on its own ({@link #call}, {@link #callAsync}) or take part in a
 * composition built with {@link Resilience#compose(Policy...)}. Composition links the policies'
 * {@link #decorate(Invoker) invokers} once, so a composed call allocates nothing per policy.
 *
 * <p>Implementations are thread-safe.
 */
public interface Policy {

    /**
     * @return the instance name (the {@code <name>} of {@code resilience.<kind>.instances.<name>})
     */
    String name();

    /**
     * @return the kind of policy, as used in property names: {@code circuitbreaker}, {@code retry},
     *     {@code bulkhead}, {@code thread-pool-bulkhead}, {@code ratelimiter} or {@code timeout}
     */
    String kind();

    /**
     * @return where to subscribe to this instance's events
     */
    Events<? extends ResilienceEvent> events();

    /**
     * Runs a call through this policy, on the calling thread (a thread-pool bulkhead runs it on its pool).
     * Checked exceptions thrown by the call pass through unchanged.
     *
     * @param call the work to protect
     * @param <T> the result type
     * @param <X> what the call may throw
     * @return the call's result
     * @throws X whatever the call throws
     */
    <T, X extends Throwable> T call(ThrowingSupplier<T, X> call) throws X;

    /**
     * Runs an asynchronous call through this policy. No thread blocks while waiting for a permit, a
     * backoff or a timeout: a rejection completes the returned stage exceptionally.
     *
     * @param call supplies the stage to protect (called once per attempt)
     * @param <T> the result type
     * @return a stage that completes with the call's outcome or a rejection
     */
    <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> call);

    /**
     * Wraps a synchronous invoker with this policy. Called once when a composition is built, never per call.
     *
     * @param next the inner link of the chain
     * @return an invoker that applies this policy and then calls {@code next}
     */
    Invoker decorate(Invoker next);

    /**
     * Wraps an asynchronous invoker with this policy. Called once when a composition is built.
     *
     * @param next the inner link of the chain
     * @return an invoker that applies this policy and then calls {@code next}
     */
    AsyncInvoker decorateAsync(AsyncInvoker next);
}

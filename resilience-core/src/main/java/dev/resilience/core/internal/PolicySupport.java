package dev.resilience.core.internal;

import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Invoker;
import dev.resilience.core.ThrowingSupplier;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Base class of the policy implementations: implements {@code Policy.call} and {@code Policy.callAsync} with the
 * policy's own {@link #decorate(Invoker)} chain around {@link Invoker#DIRECT}, built once on first use. A subclass
 * also implements its policy interface, whose {@code call} and {@code callAsync} these methods then implement; this
 * class does not implement {@code dev.resilience.Policy} itself, so that the shared machinery does not depend on
 * the root package (which depends on it).
 */
public abstract class PolicySupport {

    private Invoker self;
    private AsyncInvoker selfAsync;

    /**
     * @param next the inner link of the chain
     * @return an invoker that applies this policy and then calls {@code next}
     */
    public abstract Invoker decorate(Invoker next);

    /**
     * @param next the inner link of the chain
     * @return an invoker that applies this policy and then calls {@code next}
     */
    public abstract AsyncInvoker decorateAsync(AsyncInvoker next);

    /**
     * Runs a call through this policy's chain.
     *
     * @param call the work
     * @param <T> result type
     * @param <X> what the work may throw
     * @return the result
     * @throws X what the work throws
     */
    public final <T, X extends Throwable> T call(ThrowingSupplier<T, X> call) throws X {
        Invoker invoker = self;
        if (invoker == null) {
            // Racy but idempotent: two threads may both build it; either result is equivalent.
            invoker = self = decorate(Invoker.DIRECT);
        }
        return invoke(invoker, call);
    }

    /**
     * Runs an asynchronous call through this policy's chain.
     *
     * @param call supplies the stage
     * @param <T> result type
     * @return the outcome
     */
    @SuppressWarnings("unchecked")
    public final <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> call) {
        AsyncInvoker invoker = selfAsync;
        if (invoker == null) {
            invoker = selfAsync = decorateAsync(AsyncInvoker.DIRECT);
        }
        return (CompletionStage<T>) invoker.invoke(call);
    }

    /**
     * Runs a call through an invoker chain, rethrowing whatever it throws unchanged.
     *
     * @param invoker the chain
     * @param call the work
     * @param <T> result type
     * @param <X> what the work may throw
     * @return the result
     * @throws X what the work throws (policies add only unchecked exceptions)
     */
    @SuppressWarnings("unchecked")
    public static <T, X extends Throwable> T invoke(Invoker invoker, ThrowingSupplier<T, X> call) throws X {
        try {
            return (T) invoker.invoke(call, Invoker.SUPPLIER);
        } catch (Throwable t) {
            throw Throwables.<RuntimeException>sneakyThrow(t);
        }
    }
}

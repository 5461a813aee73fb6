package dev.resilience.core;

import dev.resilience.core.internal.Throwables;

import dev.resilience.Policy;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Base class for policies: implements {@link #call} and {@link #callAsync} with the policy's own
 * {@link #decorate(Invoker)} chain around {@link Invoker#DIRECT}, built once on first use.
 */
public abstract class PolicySupport implements Policy {

    private Invoker self;
    private AsyncInvoker selfAsync;

    @Override
    public final <T, X extends Throwable> T call(ThrowingSupplier<T, X> call) throws X {
        Invoker invoker = self;
        if (invoker == null) {
            // Racy but idempotent: two threads may both build it; either result is equivalent.
            invoker = self = decorate(Invoker.DIRECT);
        }
        return invoke(invoker, call);
    }

    @Override
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

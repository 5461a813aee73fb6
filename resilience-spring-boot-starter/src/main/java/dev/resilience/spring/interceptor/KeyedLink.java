package dev.resilience.spring.interceptor;

import dev.resilience.Policy;
import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Events;
import dev.resilience.core.Invoker;
import dev.resilience.core.ResilienceEvent;
import dev.resilience.core.ThrowingSupplier;
import dev.resilience.keyed.KeyFunction;
import dev.resilience.keyed.KeyedPolicy;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A keyed instance as one link of a method's chain: it links like a policy (each call's key read from the
 * invocation), so that composition order, fallbacks and the reactive path treat it as any other. Only for linking:
 * it runs no call of its own.
 */
final class KeyedLink implements Policy {

    private final KeyedPolicy<?> keyed;
    private final KeyFunction keys;

    KeyedLink(KeyedPolicy<?> keyed, KeyFunction keys) {
        this.keyed = keyed;
        this.keys = keys;
    }

    @Override
    public String name() {
        return keyed.name();
    }

    @Override
    public String kind() {
        return keyed.kind();
    }

    @Override
    public Events<? extends ResilienceEvent> events() {
        return keyed.events();
    }

    @Override
    public <T, X extends Throwable> T call(ThrowingSupplier<T, X> call) {
        throw new UnsupportedOperationException("A keyed link runs inside a method's chain only; use KeyedPolicy.call");
    }

    @Override
    public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> call) {
        throw new UnsupportedOperationException("A keyed link runs inside a method's chain only; use KeyedPolicy.callAsync");
    }

    @Override
    public Invoker decorate(Invoker next) {
        return keyed.decorate(keys, next);
    }

    @Override
    public AsyncInvoker decorateAsync(AsyncInvoker next) {
        return keyed.decorateAsync(keys, next);
    }
}

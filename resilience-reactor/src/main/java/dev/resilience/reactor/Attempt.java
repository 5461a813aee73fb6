package dev.resilience.reactor;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * One subscription to the source, made by one attempt of the chain, and the stage the chain sees for it: completed
 * by the source's terminal signal (or, for a {@code Mono}, its value). Cancelling the stage, which a timeout or a
 * bulkhead does through {@code toCompletableFuture().cancel(..)}, cancels the source's subscription first.
 */
abstract class Attempt<T> extends CompletableFuture<Object> implements CoreSubscriber<T> {

    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<Attempt, Subscription> UPSTREAM =
            AtomicReferenceFieldUpdater.newUpdater(Attempt.class, Subscription.class, "upstream");

    private final Context context;
    volatile Subscription upstream;

    Attempt(Context context) {
        this.context = context;
    }

    @Override
    public final Context currentContext() {
        return context;
    }

    /** @return whether the subscription was taken (false: this attempt was cancelled first, it is now cancelled) */
    final boolean setUpstream(Subscription s) {
        return Operators.setOnce(UPSTREAM, this, s);
    }

    @Override
    public final void onError(Throwable t) {
        if (!completeExceptionally(t)) {
            Operators.onErrorDropped(t, context);
        }
    }

    @Override
    public final void onComplete() {
        complete(null);
    }

    /** Cancels the source's subscription, then completes this stage as cancelled (so inner policies release). */
    @Override
    public final boolean cancel(boolean mayInterruptIfRunning) {
        Operators.terminate(UPSTREAM, this);
        return super.cancel(mayInterruptIfRunning);
    }
}

package dev.resilience.reactor;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * One subscription to the source, made by one attempt of the chain, and the stage the chain sees for it: completed
 * by the source's terminal signal (or, for a {@code Mono}, its value). Cancelling the stage, which a timeout or a
 * bulkhead does through {@code toCompletableFuture().cancel(..)}, cancels the source's subscription first.
 *
 * <p>Where the chain's outcome is this very stage (no policy, or only policies that watch the stage and hand it on,
 * such as a circuit breaker), the call is {@link #link linked} to it: its outcome is handed to the call directly
 * once the stage is complete, after every dependent the policies registered has run, instead of through one more
 * dependent stage.
 */
abstract class Attempt<T> extends CompletableFuture<Object> implements CoreSubscriber<T> {

    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<Attempt, Subscription> UPSTREAM =
            AtomicReferenceFieldUpdater.newUpdater(Attempt.class, Subscription.class, "upstream");
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<Attempt> HANDOFF =
            AtomicIntegerFieldUpdater.newUpdater(Attempt.class, "handoff");

    /** The call waits for this attempt's outcome (set by {@link #link}). */
    private static final int LINKED = 1;
    /** This attempt is complete. */
    private static final int DONE = 2;

    final ProtectedCall<T, ?> call;
    private final Context context;
    volatile Subscription upstream;
    /** Whichever of {@link #link} and the completion comes second hands the outcome to the call. */
    private volatile int handoff;

    Attempt(ProtectedCall<T, ?> call, Context context) {
        this.call = call;
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

    @Override
    public final boolean complete(Object result) {
        if (!super.complete(result)) {
            return false;
        }
        finished();
        return true;
    }

    @Override
    public final boolean completeExceptionally(Throwable failure) {
        if (!super.completeExceptionally(failure)) {
            return false;
        }
        finished();
        return true;
    }

    /** Cancels the source's subscription, then completes this stage as cancelled (so inner policies release). */
    @Override
    public final boolean cancel(boolean mayInterruptIfRunning) {
        Operators.terminate(UPSTREAM, this);
        if (!super.cancel(mayInterruptIfRunning)) {
            return false;
        }
        finished();
        return true;
    }

    /** The chain's outcome is this stage: hands its outcome to the call once it is complete (now, if it is). */
    final void link() {
        if (HANDOFF.getAndSet(this, LINKED) == DONE) {
            handOff();
        }
    }

    /** Called once, after the stage is complete and its dependents have run. */
    private void finished() {
        if (HANDOFF.getAndSet(this, DONE) == LINKED) {
            handOff();
        }
    }

    /** Gives the call this complete stage's outcome, as {@code whenComplete} would (the call unwraps failures). */
    private void handOff() {
        Object result;
        try {
            result = getNow(null);
        } catch (CancellationException | CompletionException e) {
            call.accept(null, e);
            return;
        }
        call.accept(result, null);
    }
}

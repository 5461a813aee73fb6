package dev.resilience.reactor;

import dev.resilience.core.AsyncInvoker;
import dev.resilience.deadline.Deadline;
import org.reactivestreams.Subscription;
import reactor.core.CorePublisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * One subscription to a protected {@code Mono} or {@code Flux}: the chain's call, its attempts (one subscription to
 * the source each) and its terminal signal. What differs between the two, how values reach the subscriber and how
 * demand is kept, is left to {@link MonoResilience.ProtectedMono} and {@link FluxResilience.ProtectedFlux}.
 *
 * @param <T> the element type
 * @param <A> the kind of attempt
 */
abstract class ProtectedCall<T, A extends Attempt<T>> implements Supplier<CompletionStage<?>>, BiConsumer<Object, Throwable> {

    final CoreSubscriber<? super T> actual;
    final Context context;
    private final CorePublisher<? extends T> source;
    private final AsyncInvoker chain;
    private final Deadline deadline;
    private volatile CompletionStage<?> outcome;
    volatile A current;

    ProtectedCall(CoreSubscriber<? super T> actual, CorePublisher<? extends T> source, AsyncInvoker chain) {
        this.actual = actual;
        this.source = source;
        this.chain = chain;
        this.context = actual.currentContext();
        this.deadline = Calls.deadlineOf(context);
    }

    /** @return the subscription the subscriber is handed */
    abstract Subscription subscription();

    /** @return whether the subscriber has cancelled */
    abstract boolean isCancelled();

    /** @return a new attempt, not yet subscribed, that subscribes to the source with {@code attemptContext} */
    abstract A newAttempt(Context attemptContext);

    /** Called when {@code attempt} becomes the current attempt, before it subscribes; {@code previous} may be null. */
    void superseded(A previous) {
    }

    /** Hands the subscriber its subscription, then starts the call on the subscribing thread. */
    final void subscribe() {
        actual.onSubscribe(subscription());
        start();
    }

    private void start() {
        if (isCancelled()) {
            return; // cancelled in onSubscribe: no call at all
        }
        CompletionStage<?> stage = Calls.invoke(chain, this, deadline);
        outcome = stage;
        if (isCancelled()) {
            Calls.cancel(stage); // cancelled while the chain started: cancel() may not have seen the stage
        }
        if (stage instanceof Attempt<?> attempt && attempt.call == this) {
            attempt.link(); // the chain handed our own attempt back: no dependent stage needed to learn its outcome
        } else {
            stage.whenComplete(this);
        }
    }

    /** One attempt: subscribes to the source. Called by the chain, once per attempt. */
    @Override
    public final CompletionStage<?> get() {
        A attempt = newAttempt(Calls.attemptContext(context, deadline));
        A previous = current;
        current = attempt;
        superseded(previous);
        if (isCancelled()) {
            attempt.cancel(false); // cancel() may have looked at the previous attempt
            return attempt;
        }
        source.subscribe(attempt);
        return attempt;
    }

    /**
     * Delivers the terminal signal, once: completion when {@code error} is {@code null}. Once cancelled, nothing
     * reaches the subscriber and an error other than the cancellation's own is dropped.
     */
    final void terminate(Throwable error) {
        try {
            if (isCancelled()) {
                if (error != null && !(error instanceof CancellationException)) {
                    Operators.onErrorDropped(error, context);
                }
            } else if (error == null) {
                actual.onComplete();
            } else {
                actual.onError(error);
            }
        } catch (Throwable t) {
            // Thrown by the subscriber, possibly inside a stage's callback that has nobody to throw it to.
            Operators.onErrorDropped(t, context);
        }
    }

    /** The subscriber's cancellation: cancels the outcome and the current attempt. */
    final void cancelCall() {
        CompletionStage<?> stage = outcome;
        if (stage != null) {
            Calls.cancel(stage);
        }
        // The outcome's cancellation reaches the attempt through most policies, not through a retry waiting on
        // it: cancel the attempt itself too (a no-op when already done).
        A attempt = current;
        if (attempt != null) {
            attempt.cancel(false);
        }
    }
}

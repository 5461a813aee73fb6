package dev.resilience.reactor;

import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Throwables;
import dev.resilience.deadline.Deadline;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** A {@code Mono} whose every subscription runs once through an asynchronous chain of policies. */
final class MonoResilience<T> extends MonoOperator<T, T> {

    private final AsyncInvoker chain;

    private MonoResilience(Mono<T> source, AsyncInvoker chain) {
        super(source);
        this.chain = chain;
    }

    static <T> Mono<T> create(Mono<T> source, AsyncInvoker chain) {
        return onAssembly(new MonoResilience<>(source, chain));
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        ProtectedMono<T> call = new ProtectedMono<>(actual, source, chain);
        actual.onSubscribe(call);
        call.start();
    }

    @Override
    public Object scanUnsafe(Attr key) {
        if (key == Attr.RUN_STYLE) {
            return Attr.RunStyle.ASYNC;
        }
        return super.scanUnsafe(key);
    }

    /**
     * One subscription: the chain's call. Its outcome, a single value or none, reaches the subscriber through
     * {@link Operators.MonoSubscriber#complete}, which waits for demand; the subscriber's cancellation cancels the
     * outcome and the current attempt.
     */
    static final class ProtectedMono<T> extends Operators.MonoSubscriber<T, T>
            implements Supplier<CompletionStage<?>>, BiConsumer<Object, Throwable> {

        private final Mono<? extends T> source;
        private final AsyncInvoker chain;
        private final Context context;
        private final Deadline deadline;
        private volatile CompletionStage<?> outcome;
        private volatile MonoAttempt<T> current;

        ProtectedMono(CoreSubscriber<? super T> actual, Mono<? extends T> source, AsyncInvoker chain) {
            super(actual);
            this.source = source;
            this.chain = chain;
            this.context = actual.currentContext();
            this.deadline = Calls.deadlineOf(context);
        }

        void start() {
            if (isCancelled()) {
                return; // cancelled in onSubscribe: no call at all
            }
            CompletionStage<?> stage = Calls.invoke(chain, this, deadline);
            outcome = stage;
            if (isCancelled()) {
                Calls.cancel(stage); // cancelled while the chain started: cancel() may not have seen the stage
            }
            stage.whenComplete(this);
        }

        /** One attempt: subscribes to the source. Called by the chain, once per attempt. */
        @Override
        public CompletionStage<?> get() {
            MonoAttempt<T> attempt = new MonoAttempt<>(Calls.attemptContext(context, deadline));
            current = attempt;
            if (isCancelled()) {
                attempt.cancel(false); // cancel() may have looked at the previous attempt
                return attempt;
            }
            source.subscribe(attempt);
            return attempt;
        }

        /** The call's outcome. */
        @Override
        @SuppressWarnings("unchecked")
        public void accept(Object result, Throwable failure) {
            try {
                if (failure == null) {
                    if (result != null) {
                        complete((T) result);
                    } else if (!isCancelled()) {
                        actual.onComplete();
                    }
                    return;
                }
                Throwable error = Throwables.unwrap(failure);
                if (!isCancelled()) {
                    actual.onError(error);
                } else if (!(error instanceof CancellationException)) {
                    Operators.onErrorDropped(error, context);
                }
            } catch (Throwable t) {
                // Thrown by the subscriber: a stage's callback has nobody to throw it to.
                Operators.onErrorDropped(t, context);
            }
        }

        @Override
        public void cancel() {
            super.cancel();
            CompletionStage<?> stage = outcome;
            if (stage != null) {
                Calls.cancel(stage);
            }
            // The outcome's cancellation reaches the attempt through most policies, not through a retry waiting on
            // it: cancel the attempt itself too (a no-op when already done).
            MonoAttempt<T> attempt = current;
            if (attempt != null) {
                attempt.cancel(false);
            }
        }

        @Override
        public Object scanUnsafe(Attr key) {
            if (key == Attr.RUN_STYLE) {
                return Attr.RunStyle.ASYNC;
            }
            return super.scanUnsafe(key);
        }
    }

    /** A subscription to the source whose stage completes with its first value, or {@code null} when empty. */
    static final class MonoAttempt<T> extends Attempt<T> {

        MonoAttempt(Context context) {
            super(context);
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (setUpstream(s)) {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(T value) {
            if (!complete(value)) {
                Operators.onNextDropped(value, currentContext());
            }
        }
    }
}

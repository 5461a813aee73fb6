package dev.resilience.reactor;

import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.internal.Throwables;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

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
        new ProtectedMono<>(actual, source, chain).subscribe();
    }

    @Override
    public Object scanUnsafe(Attr key) {
        return key == Attr.RUN_STYLE ? Attr.RunStyle.ASYNC : super.scanUnsafe(key);
    }

    /**
     * One subscription: the chain's call. Its outcome, a single value or none, reaches the subscriber through
     * {@link Operators.MonoSubscriber#complete}, which waits for demand; the subscriber's cancellation cancels the
     * outcome and the current attempt.
     */
    static final class ProtectedMono<T> extends ProtectedCall<T, MonoAttempt<T>> {

        private final Downstream downstream;

        ProtectedMono(CoreSubscriber<? super T> actual, Mono<? extends T> source, AsyncInvoker chain) {
            super(actual, source, chain);
            this.downstream = new Downstream(actual);
        }

        @Override
        Subscription subscription() {
            return downstream;
        }

        @Override
        boolean isCancelled() {
            return downstream.isCancelled();
        }

        @Override
        MonoAttempt<T> newAttempt(Context attemptContext) {
            return new MonoAttempt<>(attemptContext);
        }

        /** The call's outcome. */
        @Override
        @SuppressWarnings("unchecked")
        public void accept(Object result, Throwable failure) {
            if (failure != null) {
                terminate(Throwables.unwrap(failure));
            } else if (result == null) {
                terminate(null);
            } else {
                try {
                    downstream.complete((T) result);
                } catch (Throwable t) {
                    // Thrown by the subscriber: a stage's callback has nobody to throw it to.
                    Operators.onErrorDropped(t, context);
                }
            }
        }

        /** The subscriber's subscription: holds the value until it is requested. */
        final class Downstream extends Operators.MonoSubscriber<T, T> {

            Downstream(CoreSubscriber<? super T> actual) {
                super(actual);
            }

            @Override
            public void cancel() {
                super.cancel();
                cancelCall();
            }

            @Override
            public Object scanUnsafe(Attr key) {
                return key == Attr.RUN_STYLE ? Attr.RunStyle.ASYNC : super.scanUnsafe(key);
            }
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

package dev.resilience.reactor;

import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.internal.Throwables;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

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
     * One subscription: the chain's call, and the subscriber's subscription, which holds the call's outcome, a single
     * value or none, until it is requested (the subscriber's cancellation cancels the outcome and the current
     * attempt). One object, so that a subscription allocates no separate subscription for its subscriber.
     */
    static final class ProtectedMono<T> extends ProtectedCall<T, MonoAttempt<T>> implements Subscription, Scannable {

        /** Neither requested nor a value yet. */
        private static final int NO_REQUEST_NO_VALUE = 0;
        /** Requested; the value, when it comes, goes out at once. */
        private static final int HAS_REQUEST_NO_VALUE = 1;
        /** The value waits in {@link #value} for a request. */
        private static final int NO_REQUEST_HAS_VALUE = 2;
        /** The value went out (or the call ended without one): nothing more happens. */
        private static final int DONE = 3;
        private static final int CANCELLED = 4;

        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<ProtectedMono> STATE =
                AtomicIntegerFieldUpdater.newUpdater(ProtectedMono.class, "state");

        volatile int state;
        /** The value waiting for a request; written before NO_REQUEST_HAS_VALUE is set. */
        private T value;

        ProtectedMono(CoreSubscriber<? super T> actual, Mono<? extends T> source, AsyncInvoker chain) {
            super(actual, source, chain);
        }

        @Override
        Subscription subscription() {
            return this;
        }

        @Override
        boolean isCancelled() {
            return state == CANCELLED;
        }

        @Override
        MonoAttempt<T> newAttempt(Context attemptContext) {
            return new MonoAttempt<>(this, attemptContext);
        }

        /** The call's outcome. */
        @Override
        @SuppressWarnings("unchecked")
        public void accept(Object result, Throwable failure) {
            if (failure != null) {
                ended();
                terminate(Throwables.unwrap(failure));
            } else if (result == null) {
                ended();
                terminate(null);
            } else {
                complete((T) result);
            }
        }

        /** The call ended without a value: nothing waits for a request any more (unless cancelled already). */
        private void ended() {
            int s;
            do {
                s = state;
            } while (s != CANCELLED && !STATE.compareAndSet(this, s, DONE));
        }

        /** Delivers the value now if it was requested, else keeps it for the request. */
        private void complete(T result) {
            for (;;) {
                int s = state;
                if (s == HAS_REQUEST_NO_VALUE) {
                    if (STATE.compareAndSet(this, HAS_REQUEST_NO_VALUE, DONE)) {
                        emit(result);
                        return;
                    }
                } else if (s == NO_REQUEST_NO_VALUE) {
                    value = result;
                    if (STATE.compareAndSet(this, NO_REQUEST_NO_VALUE, NO_REQUEST_HAS_VALUE)) {
                        return;
                    }
                    value = null; // requested or cancelled meanwhile: look again
                } else {
                    Operators.onDiscard(result, context); // cancelled
                    return;
                }
            }
        }

        private void emit(T result) {
            try {
                actual.onNext(result);
                actual.onComplete();
            } catch (Throwable t) {
                // Thrown by the subscriber: a stage's callback has nobody to throw it to.
                Operators.onErrorDropped(t, context);
            }
        }

        @Override
        public void request(long n) {
            if (!Operators.validate(n)) {
                return;
            }
            for (;;) {
                int s = state;
                if (s == NO_REQUEST_HAS_VALUE) {
                    if (STATE.compareAndSet(this, NO_REQUEST_HAS_VALUE, DONE)) {
                        T result = value;
                        value = null;
                        emit(result);
                    }
                    return;
                }
                if (s != NO_REQUEST_NO_VALUE || STATE.compareAndSet(this, NO_REQUEST_NO_VALUE, HAS_REQUEST_NO_VALUE)) {
                    return;
                }
            }
        }

        @Override
        public void cancel() {
            int previous = STATE.getAndSet(this, CANCELLED);
            if (previous == CANCELLED) {
                return;
            }
            if (previous == NO_REQUEST_HAS_VALUE) {
                T result = value;
                value = null;
                Operators.onDiscard(result, context);
            }
            cancelCall();
        }

        @Override
        public Object scanUnsafe(Attr key) {
            if (key == Attr.ACTUAL) {
                return actual;
            }
            if (key == Attr.CANCELLED) {
                return state == CANCELLED;
            }
            if (key == Attr.TERMINATED) {
                return state == DONE;
            }
            if (key == Attr.PREFETCH) {
                return Integer.MAX_VALUE;
            }
            if (key == Attr.RUN_STYLE) {
                return Attr.RunStyle.ASYNC;
            }
            return null;
        }
    }

    /** A subscription to the source whose stage completes with its first value, or {@code null} when empty. */
    static final class MonoAttempt<T> extends Attempt<T> {

        MonoAttempt(ProtectedMono<T> call, Context context) {
            super(call, context);
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

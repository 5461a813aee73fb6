package dev.resilience.reactor;

import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.internal.Throwables;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/** A {@code Flux} whose every subscription runs once through an asynchronous chain of policies. */
final class FluxResilience<T> extends FluxOperator<T, T> {

    private final AsyncInvoker chain;

    private FluxResilience(Flux<T> source, AsyncInvoker chain) {
        super(source);
        this.chain = chain;
    }

    static <T> Flux<T> create(Flux<T> source, AsyncInvoker chain) {
        return onAssembly(new FluxResilience<>(source, chain));
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        new ProtectedFlux<>(actual, source, chain).subscribe();
    }

    @Override
    public Object scanUnsafe(Attr key) {
        return key == Attr.RUN_STYLE ? Attr.RunStyle.ASYNC : super.scanUnsafe(key);
    }

    /**
     * One subscription: the chain's call. Elements go straight from the current attempt to the subscriber; the
     * terminal signal comes from the call's outcome, which may complete on another thread (a timer) while an element
     * is being emitted, so the two are serialized: whichever finishes last delivers the terminal signal.
     *
     * <p>Demand is kept across attempts, as Reactor's own retry keeps it: a new attempt's subscription is asked for
     * everything requested and not yet delivered. Requests, deliveries and new subscriptions meet in one drain loop
     * (the usual work-in-progress pattern), so that no demand is lost or asked for twice.
     *
     * <p>Only the current attempt's elements are delivered. A retry starts the next attempt only after the previous
     * one's outcome; a previous attempt still subscribed then (a timeout that does not cancel its call) is cancelled,
     * and should one of its elements still be on its way, the next attempt's first element waits for it.
     */
    static final class ProtectedFlux<T> extends ProtectedCall<T, FluxAttempt<T>> implements Subscription, Scannable {

        private static final int EMITTING = 1;
        private static final int DONE = 2;

        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<ProtectedFlux> EMISSION =
                AtomicIntegerFieldUpdater.newUpdater(ProtectedFlux.class, "emission");
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<ProtectedFlux> DEMAND_WIP =
                AtomicIntegerFieldUpdater.newUpdater(ProtectedFlux.class, "demandWip");
        @SuppressWarnings("rawtypes")
        private static final AtomicLongFieldUpdater<ProtectedFlux> MISSED_REQUESTED =
                AtomicLongFieldUpdater.newUpdater(ProtectedFlux.class, "missedRequested");
        @SuppressWarnings("rawtypes")
        private static final AtomicLongFieldUpdater<ProtectedFlux> MISSED_PRODUCED =
                AtomicLongFieldUpdater.newUpdater(ProtectedFlux.class, "missedProduced");
        @SuppressWarnings("rawtypes")
        private static final AtomicReferenceFieldUpdater<ProtectedFlux, Subscription> MISSED_SUBSCRIPTION =
                AtomicReferenceFieldUpdater.newUpdater(ProtectedFlux.class, Subscription.class, "missedSubscription");

        private volatile boolean cancelled;

        // Emission: EMITTING while an element is being delivered, DONE once the terminal signal is decided.
        volatile int emission;
        /** The thread delivering an element, so that a source emitting re-entrantly from inside it is let through. */
        private Thread emitter;
        /** The terminal signal's error, {@code null} for completion; written before DONE is set. */
        private Throwable terminalError;

        // Demand: owned by whoever holds demandWip; others leave their change in the missed* fields.
        volatile int demandWip;
        volatile long missedRequested;
        volatile long missedProduced;
        volatile Subscription missedSubscription;
        private long requested;
        private Subscription subscription;
        private volatile boolean unbounded;

        ProtectedFlux(CoreSubscriber<? super T> actual, Flux<? extends T> source, AsyncInvoker chain) {
            super(actual, source, chain);
        }

        @Override
        Subscription subscription() {
            return this;
        }

        @Override
        boolean isCancelled() {
            return cancelled;
        }

        @Override
        FluxAttempt<T> newAttempt(Context attemptContext) {
            return new FluxAttempt<>(this, attemptContext);
        }

        @Override
        void superseded(FluxAttempt<T> previous) {
            if (previous != null) {
                previous.cancel(false); // done already, except behind a timeout that does not cancel
            }
        }

        /** The call's outcome: the terminal signal. */
        @Override
        public void accept(Object result, Throwable failure) {
            terminalError = failure == null ? null : Throwables.unwrap(failure);
            for (;;) {
                int s = emission;
                if ((s & DONE) != 0) {
                    return;
                }
                if (EMISSION.compareAndSet(this, s, s | DONE)) {
                    if ((s & EMITTING) == 0) {
                        terminate(terminalError);
                    } // else: the element being delivered delivers it after itself
                    return;
                }
            }
        }

        void onNext(FluxAttempt<T> attempt, T value) {
            if (attempt != current) {
                Operators.onDiscard(value, context);
                return;
            }
            Thread self = Thread.currentThread();
            for (;;) {
                int s = emission;
                if ((s & DONE) != 0) {
                    Operators.onDiscard(value, context);
                    return;
                }
                if ((s & EMITTING) == 0) {
                    if (EMISSION.compareAndSet(this, s, s | EMITTING)) {
                        break;
                    }
                } else if (emitter == self) {
                    deliver(attempt, value); // re-entrant, from inside the element being delivered
                    return;
                } else {
                    Thread.onSpinWait(); // a previous attempt's last element is still being delivered
                }
            }
            emitter = self;
            try {
                deliver(attempt, value);
            } finally {
                emitter = null;
                int s;
                do {
                    s = emission;
                } while (!EMISSION.compareAndSet(this, s, s & ~EMITTING));
                if ((s & DONE) != 0) {
                    terminate(terminalError); // decided while this element was being delivered
                }
            }
        }

        private void deliver(FluxAttempt<T> attempt, T value) {
            if (attempt != current || cancelled) {
                Operators.onDiscard(value, context);
                return;
            }
            actual.onNext(value);
            produced();
        }

        // ---------------------------------------------------------------- demand

        @Override
        public void request(long n) {
            if (Operators.validate(n)) {
                Operators.addCap(MISSED_REQUESTED, this, n);
                drainDemand();
            }
        }

        void onSubscribe(FluxAttempt<T> attempt, Subscription s) {
            if (attempt != current) {
                attempt.cancel(false); // superseded while subscribing
                return;
            }
            MISSED_SUBSCRIPTION.set(this, s); // one not yet taken belonged to a previous attempt, already cancelled
            drainDemand();
        }

        private void produced() {
            if (unbounded) {
                return;
            }
            if (demandWip == 0 && DEMAND_WIP.compareAndSet(this, 0, 1)) {
                long r = requested;
                if (r != Long.MAX_VALUE && r > 0) {
                    requested = r - 1;
                }
                if (DEMAND_WIP.decrementAndGet(this) != 0) {
                    drainDemandLoop();
                }
                return;
            }
            MISSED_PRODUCED.incrementAndGet(this);
            drainDemand();
        }

        private void drainDemand() {
            if (DEMAND_WIP.getAndIncrement(this) == 0) {
                drainDemandLoop();
            }
        }

        private void drainDemandLoop() {
            int missed = 1;
            Subscription target = null;
            long toRequest = 0L;
            for (;;) {
                Subscription ms = missedSubscription != null ? MISSED_SUBSCRIPTION.getAndSet(this, null) : null;
                long mr = missedRequested != 0L ? MISSED_REQUESTED.getAndSet(this, 0L) : 0L;
                long mp = missedProduced != 0L ? MISSED_PRODUCED.getAndSet(this, 0L) : 0L;
                long r = requested;
                if (r != Long.MAX_VALUE) {
                    r = Operators.addCap(r, mr);
                    if (r == Long.MAX_VALUE) {
                        unbounded = true;
                    } else {
                        r = Math.max(0L, r - mp);
                    }
                    requested = r;
                }
                if (ms != null) {
                    subscription = ms; // a new attempt: ask it for everything outstanding
                    target = ms;
                    toRequest = r;
                } else if (mr != 0L && subscription != null) {
                    target = subscription;
                    toRequest = Operators.addCap(toRequest, mr);
                }
                missed = DEMAND_WIP.addAndGet(this, -missed);
                if (missed == 0) {
                    if (target != null && toRequest != 0L) {
                        target.request(toRequest);
                    }
                    return;
                }
            }
        }

        // ---------------------------------------------------------------- cancellation

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            cancelCall();
        }

        @Override
        public Object scanUnsafe(Attr key) {
            if (key == Attr.ACTUAL) {
                return actual;
            }
            if (key == Attr.CANCELLED) {
                return cancelled;
            }
            if (key == Attr.TERMINATED) {
                return (emission & DONE) != 0;
            }
            if (key == Attr.REQUESTED_FROM_DOWNSTREAM) {
                return unbounded ? Long.MAX_VALUE : requested;
            }
            if (key == Attr.RUN_STYLE) {
                return Attr.RunStyle.ASYNC;
            }
            return null;
        }
    }

    /** A subscription to the source: its elements go to the subscriber; its stage completes at its terminal signal. */
    static final class FluxAttempt<T> extends Attempt<T> {

        FluxAttempt(ProtectedFlux<T> parent, Context context) {
            super(parent, context);
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (setUpstream(s)) {
                ((ProtectedFlux<T>) call).onSubscribe(this, s);
            }
        }

        @Override
        public void onNext(T value) {
            ((ProtectedFlux<T>) call).onNext(this, value);
        }
    }
}

package dev.resilience.spring.reactive;

import dev.resilience.ShutdownInProgressException;
import dev.resilience.core.ShutdownGate;
import org.reactivestreams.Subscription;
import reactor.core.CorePublisher;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Counts each subscription of a protected method's publisher in the shutdown gate, from subscribing to just after
 * its terminal signal or its cancellation; a subscription the closed gate refuses ends with
 * {@code ShutdownInProgressException} as its error signal and never subscribes to the source. One subscriber per
 * subscription does it (what {@code deferContextual} plus {@code doFinally} took three objects for).
 */
final class GatedPublisher {

    private GatedPublisher() {
    }

    static <T> Mono<T> mono(Mono<T> source, ShutdownGate gate, String instanceName) {
        return new GatedMono<>(source, gate, instanceName);
    }

    static <T> Flux<T> flux(Flux<T> source, ShutdownGate gate, String instanceName) {
        return new GatedFlux<>(source, gate, instanceName);
    }

    /** Subscribes {@code actual} to {@code source} if the gate admits it. */
    private static <T> void subscribe(CorePublisher<? extends T> source, CoreSubscriber<? super T> actual, ShutdownGate gate,
                                      String instanceName) {
        if (!ReactorMethodSupport.enter(gate, actual.currentContext())) {
            Operators.error(actual, new ShutdownInProgressException(instanceName));
            return;
        }
        source.subscribe(new Exit<T>(actual, gate));
    }

    private static final class GatedMono<T> extends MonoOperator<T, T> {

        private final ShutdownGate gate;
        private final String instanceName;

        GatedMono(Mono<? extends T> source, ShutdownGate gate, String instanceName) {
            super(source);
            this.gate = gate;
            this.instanceName = instanceName;
        }

        @Override
        public void subscribe(CoreSubscriber<? super T> actual) {
            GatedPublisher.subscribe(source, actual, gate, instanceName);
        }
    }

    private static final class GatedFlux<T> extends FluxOperator<T, T> {

        private final ShutdownGate gate;
        private final String instanceName;

        GatedFlux(Flux<? extends T> source, ShutdownGate gate, String instanceName) {
            super(source);
            this.gate = gate;
            this.instanceName = instanceName;
        }

        @Override
        public void subscribe(CoreSubscriber<? super T> actual) {
            GatedPublisher.subscribe(source, actual, gate, instanceName);
        }
    }

    /** Passes every signal through, and exits the gate once: after the terminal signal, or on cancellation. */
    static final class Exit<T> implements CoreSubscriber<T>, Subscription, Scannable {

        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<Exit> EXITED = AtomicIntegerFieldUpdater.newUpdater(Exit.class, "exited");

        private final CoreSubscriber<? super T> actual;
        private final ShutdownGate gate;
        private Subscription upstream;
        volatile int exited;

        Exit(CoreSubscriber<? super T> actual, ShutdownGate gate) {
            this.actual = actual;
            this.gate = gate;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                actual.onSubscribe(this);
            }
        }

        @Override
        public void onNext(T value) {
            actual.onNext(value);
        }

        @Override
        public void onError(Throwable t) {
            try {
                actual.onError(t);
            } finally {
                exit();
            }
        }

        @Override
        public void onComplete() {
            try {
                actual.onComplete();
            } finally {
                exit();
            }
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            try {
                upstream.cancel();
            } finally {
                exit();
            }
        }

        private void exit() {
            if (EXITED.compareAndSet(this, 0, 1)) {
                gate.exit();
            }
        }

        @Override
        public Object scanUnsafe(Attr key) {
            if (key == Attr.ACTUAL) {
                return actual;
            }
            if (key == Attr.PARENT) {
                return upstream;
            }
            if (key == Attr.TERMINATED || key == Attr.CANCELLED) {
                return exited == 1;
            }
            if (key == Attr.RUN_STYLE) {
                return Attr.RunStyle.SYNC;
            }
            return null;
        }
    }
}

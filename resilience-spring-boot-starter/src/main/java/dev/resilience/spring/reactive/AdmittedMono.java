package dev.resilience.spring.reactive;

import dev.resilience.core.ShutdownGate;
import reactor.core.CorePublisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;

/**
 * Subscribes to its source with the subscribing thread marked as admitted work, so that what the source does
 * synchronously while being subscribed (a {@code Mono.fromCallable} calling an annotated method) passes a closed
 * shutdown gate, as the work of a synchronous admitted call does.
 */
final class AdmittedMono<T> extends MonoOperator<T, T> {

    AdmittedMono(Mono<? extends T> source) {
        super(source);
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        subscribeAdmitted(source, actual);
    }

    /** Subscribes {@code actual} to {@code source} with the subscribing thread marked as admitted work. */
    static <T> void subscribeAdmitted(CorePublisher<? extends T> source, CoreSubscriber<? super T> actual) {
        ShutdownGate.AdmittedWork work = ShutdownGate.admittedWork();
        work.begin();
        try {
            source.subscribe(actual);
        } finally {
            work.end();
        }
    }
}

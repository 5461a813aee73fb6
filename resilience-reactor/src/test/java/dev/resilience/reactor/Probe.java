package dev.resilience.reactor;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Wraps a source to count how often it is subscribed to and cancelled. */
final class Probe {

    final AtomicInteger subscriptions = new AtomicInteger();
    final AtomicInteger cancellations = new AtomicInteger();

    <T> Mono<T> mono(Supplier<Mono<T>> source) {
        return Mono.defer(() -> {
            subscriptions.incrementAndGet();
            return source.get();
        }).doOnCancel(cancellations::incrementAndGet);
    }

    <T> Flux<T> flux(Supplier<Flux<T>> source) {
        return Flux.defer(() -> {
            subscriptions.incrementAndGet();
            return source.get();
        }).doOnCancel(cancellations::incrementAndGet);
    }

    int subscriptions() {
        return subscriptions.get();
    }

    int cancellations() {
        return cancellations.get();
    }
}

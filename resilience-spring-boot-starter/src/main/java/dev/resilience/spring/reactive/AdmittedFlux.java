package dev.resilience.spring.reactive;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;

/** The {@code Flux} form of {@link AdmittedMono}. */
final class AdmittedFlux<T> extends FluxOperator<T, T> {

    AdmittedFlux(Flux<? extends T> source) {
        super(source);
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        AdmittedMono.subscribeAdmitted(source, actual);
    }
}

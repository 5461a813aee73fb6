package dev.resilience.spring.reactive;

import dev.resilience.annotation.CircuitBreaker;
import org.reactivestreams.Publisher;

/**
 * Public, so that a class proxy can be defined in a filtering class loader (package access crosses no loaders); its
 * method returns a plain Reactive Streams {@code Publisher}, which needs no Reactor class to load.
 */
public class PublicReactiveService {

    /** @return a publisher that is never subscribed in the tests */
    @CircuitBreaker(name = "breaker")
    public Publisher<String> publisher() {
        return subscriber -> {
            throw new UnsupportedOperationException("not subscribed in the tests");
        };
    }
}

package dev.resilience.benchmarks.spring;

import dev.resilience.annotation.CircuitBreaker;
import reactor.core.publisher.Mono;

/**
 * A bean whose method returns a {@code Mono} through our {@code @CircuitBreaker}; the method returns one cached
 * {@code Mono} of a cached value, so the proxy and the protected subscription are what is measured.
 */
public class OurReactiveService {

    private static final Mono<Integer> RESULT = Mono.just(42);

    /** @return a {@code Mono} of 42, each subscription through the breaker "cb" */
    @CircuitBreaker(name = "cb")
    public Mono<Integer> breaker() {
        return RESULT;
    }
}

package dev.resilience.benchmarks.spring;

import io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker;
import reactor.core.publisher.Mono;

/**
 * The same bean as {@link OurReactiveService}, annotated for Resilience4j's Spring aspect.
 */
public class Resilience4jReactiveService {

    private static final Mono<Integer> RESULT = Mono.just(42);

    /** @return a {@code Mono} of 42, each subscription through the breaker "cb" */
    @CircuitBreaker(name = "cb")
    public Mono<Integer> breaker() {
        return RESULT;
    }
}

package dev.resilience.aspectj;

import dev.resilience.annotation.CircuitBreaker;

import java.util.concurrent.atomic.AtomicInteger;

/** Called while no context in AspectJ mode runs (its own class, so that its one warning is its own). */
public class UnboundCatalog {

    final AtomicInteger fetches = new AtomicInteger();

    @CircuitBreaker(name = "unbound")
    public String fetch() {
        fetches.incrementAndGet();
        throw new IllegalStateException("catalog down");
    }
}

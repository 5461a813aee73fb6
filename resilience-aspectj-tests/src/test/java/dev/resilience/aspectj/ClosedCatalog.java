package dev.resilience.aspectj;

import dev.resilience.annotation.CircuitBreaker;

import java.util.concurrent.atomic.AtomicInteger;

/** Kept and called after its context has closed (its own class, so that its one warning is its own). */
public class ClosedCatalog {

    final AtomicInteger fetches = new AtomicInteger();

    @CircuitBreaker(name = "closed")
    public String fetch() {
        fetches.incrementAndGet();
        return "fetched";
    }
}

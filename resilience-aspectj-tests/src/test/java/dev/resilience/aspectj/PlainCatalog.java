package dev.resilience.aspectj;

import dev.resilience.annotation.CircuitBreaker;

import java.util.concurrent.atomic.AtomicInteger;

/** Created with {@code new}, never a bean: only a woven method can protect it. Its annotated method is private. */
public class PlainCatalog {

    final AtomicInteger fetches = new AtomicInteger();

    public String describe(String sku) {
        return fetch(sku);
    }

    @CircuitBreaker(name = "catalog", fallbackMethod = "unknown")
    private String fetch(String sku) {
        fetches.incrementAndGet();
        throw new IllegalStateException("catalog down for " + sku);
    }

    private String unknown(String sku, IllegalStateException error) {
        return "no description of " + sku;
    }
}

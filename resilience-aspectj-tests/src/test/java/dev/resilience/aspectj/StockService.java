package dev.resilience.aspectj;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retry;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bean whose public methods call its own annotated methods: the self-invocation a proxy never sees. Used in both
 * modes, so it has only what proxy mode accepts (public annotated methods).
 */
public class StockService {

    final AtomicInteger fetches = new AtomicInteger();

    public String lookup(String sku) {
        return fetch(sku);
    }

    @CircuitBreaker(name = "stock")
    public String fetch(String sku) {
        fetches.incrementAndGet();
        throw new IllegalStateException("stock service down for " + sku);
    }

    public String lookupOrCached(String sku) {
        return fetchOrCached(sku);
    }

    @CircuitBreaker(name = "priced", fallbackMethod = "cached")
    public String fetchOrCached(String sku) {
        fetches.incrementAndGet();
        throw new IllegalStateException("price service down for " + sku);
    }

    String cached(String sku, Throwable error) {
        return "cached " + sku + " after " + error.getClass().getSimpleName();
    }

    public String lookupRetried(String sku) {
        return fetchRetried(sku);
    }

    @Retry(name = "stock")
    public String fetchRetried(String sku) {
        if (fetches.incrementAndGet() < 3) {
            throw new IllegalStateException("flaky for " + sku);
        }
        return "stock of " + sku + " on attempt " + fetches.get();
    }

    public CompletableFuture<String> lookupOnPool() {
        return fetchOnPool();
    }

    /** Proceeds on the bulkhead's thread: the join point is proceeded from another thread than the caller's. */
    @Bulkhead(name = "pool", type = Bulkhead.Type.THREADPOOL)
    public CompletableFuture<String> fetchOnPool() {
        return CompletableFuture.completedFuture(Thread.currentThread().getName());
    }
}

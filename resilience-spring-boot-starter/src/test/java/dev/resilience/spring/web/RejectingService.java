package dev.resilience.spring.web;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.RateLimited;
import dev.resilience.annotation.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Annotated methods whose policies the tests drive into rejecting. */
public class RejectingService {

    /** Holds {@link #slow()} until the test lets it go. */
    private volatile CountDownLatch release = new CountDownLatch(0);

    /** Makes the next calls of {@link #slow()} wait until {@link #release()}. */
    public void hold() {
        release = new CountDownLatch(1);
    }

    /** Lets {@link #slow()} return (a method, since the bean is a class proxy whose fields are not the target's). */
    public void release() {
        release.countDown();
    }

    @CircuitBreaker(name = "inventory")
    public String inventory() {
        return "stock";
    }

    @CircuitBreaker(name = "asyncInventory")
    public CompletableFuture<String> asyncInventory() {
        return CompletableFuture.completedFuture("stock");
    }

    @RateLimited(name = "search")
    public String search() {
        return "results";
    }

    @Bulkhead(name = "orders")
    public String orders() {
        return "orders";
    }

    @Timeout(name = "slow")
    public String slow() throws InterruptedException {
        release.await(10, TimeUnit.SECONDS);
        return "late";
    }
}

package dev.resilience.spring.interceptor;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.RateLimited;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Beans whose annotated methods the interception tests call. */
final class AnnotatedServices {

    private AnnotatedServices() {
    }

    /** Methods with one or more annotations. */
    static class Inventory {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger flakyFailuresLeft = new AtomicInteger();
        volatile CountDownLatch release = new CountDownLatch(0);
        volatile CountDownLatch entered = new CountDownLatch(0);

        @Retry(name = "three")
        @CircuitBreaker(name = "opensAfterTwo")
        public String alwaysFailing() {
            calls.incrementAndGet();
            throw new IllegalStateException("downstream down");
        }

        @Retry(name = "three")
        public String flaky() {
            calls.incrementAndGet();
            if (flakyFailuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("transient");
            }
            return "ok after " + calls.get();
        }

        @Retry(name = "three")
        public String checkedFailure() throws IOException {
            calls.incrementAndGet();
            throw new FileNotFoundException("missing.txt");
        }

        @CircuitBreaker(name = "withFallback", fallbackMethod = "stock")
        public String lookup(String sku, Exception toThrow) throws Exception {
            calls.incrementAndGet();
            if (toThrow != null) {
                throw toThrow;
            }
            return "live " + sku;
        }

        String stock(String sku, Exception toThrow, IOException e) {
            return "io fallback " + sku + " " + e.getClass().getSimpleName();
        }

        String stock(String sku, Exception toThrow, Exception e) {
            return "generic fallback " + sku + " " + e.getClass().getSimpleName();
        }

        @CircuitBreaker(name = "fallbackThrows", fallbackMethod = "failingFallback")
        public String fallbackThrows() throws IOException {
            throw new IllegalStateException("primary");
        }

        String failingFallback(Throwable t) throws IOException {
            throw new IOException("fallback failed too");
        }

        @Bulkhead(name = "single")
        public String occupy() throws InterruptedException {
            entered.countDown();
            release.await(10, TimeUnit.SECONDS);
            return "done";
        }

        @RateLimited(name = "twoPerPeriod")
        public String limited() {
            return "permitted";
        }

        @Timeout(name = "short")
        public String hangs() throws InterruptedException {
            new CountDownLatch(1).await(10, TimeUnit.SECONDS);
            return "late";
        }

        @Retry(name = "three")
        public CompletableFuture<String> asyncFlaky() {
            calls.incrementAndGet();
            if (flakyFailuresLeft.getAndDecrement() > 0) {
                return CompletableFuture.failedFuture(new IllegalStateException("transient"));
            }
            return CompletableFuture.completedFuture("async ok after " + calls.get());
        }

        @CircuitBreaker(name = "asyncFallback", fallbackMethod = "asyncStock")
        public CompletionStage<String> asyncFailing() {
            return CompletableFuture.failedFuture(new IOException("async down"));
        }

        CompletionStage<String> asyncStock(IOException e) {
            return CompletableFuture.completedFuture("async fallback " + e.getMessage());
        }

        @Bulkhead(name = "pool", type = Bulkhead.Type.THREADPOOL)
        public CompletableFuture<String> onPool() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        public String notAnnotated() {
            calls.incrementAndGet();
            throw new IllegalStateException("plain");
        }
    }

    /** A class-level annotation, overridden on one method. */
    @CircuitBreaker(name = "classLevel")
    static class ClassLevel {
        public String fromClass() {
            throw new IllegalStateException("class-level");
        }

        @CircuitBreaker(name = "methodLevel")
        public String fromMethod() {
            throw new IllegalStateException("method-level");
        }
    }

    /** Proxied through its interface when class proxies are off. */
    interface Pricing {
        String price(String sku);
    }

    static class DefaultPricing implements Pricing {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        @Retry(name = "three")
        public String price(String sku) {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("transient");
            }
            return "42 " + sku;
        }
    }
}

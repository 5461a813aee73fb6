package dev.resilience.spring.observation;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Annotated methods whose first attempt fails, recording the observation current inside each attempt. */
public class ObservedService {

    private final ObservationRegistry registry;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<Observation> currentInside = new CopyOnWriteArrayList<>();
    private final List<String> threadsInside = new CopyOnWriteArrayList<>();

    public ObservedService(ObservationRegistry registry) {
        this.registry = registry;
    }

    /** @return the observation current inside each call of the method, read through the proxy from the target */
    public List<Observation> currentInside() {
        return currentInside;
    }

    /** @return the thread each call of the method ran on */
    public List<String> threadsInside() {
        return threadsInside;
    }

    private void record() {
        currentInside.add(registry.getCurrentObservation());
        threadsInside.add(Thread.currentThread().getName());
    }

    @Retry(name = "payments")
    public String failsOnce() {
        record();
        if (calls.getAndIncrement() == 0) {
            throw new IllegalStateException("first attempt fails");
        }
        return "paid";
    }

    @CircuitBreaker(name = "inventory")
    public String guarded() {
        record();
        return "in stock";
    }

    @CircuitBreaker(name = "inventory", fallbackMethod = "cached")
    public String guardedWithFallback() {
        throw new IllegalStateException("down");
    }

    String cached(Throwable error) {
        return "cached";
    }

    @Retry(name = "payments")
    @Bulkhead(name = "reports", type = Bulkhead.Type.THREADPOOL)
    public CompletableFuture<String> failsOnceOnThePool() {
        record();
        if (calls.getAndIncrement() == 0) {
            return CompletableFuture.failedFuture(new IllegalStateException("first attempt fails"));
        }
        return CompletableFuture.completedFuture("report");
    }

    @Timeout(name = "slow")
    public CompletableFuture<String> neverCompletes() {
        return new CompletableFuture<>();
    }

    @Retry(name = "payments")
    public Mono<String> monoFailsOnce() {
        return Mono.fromCallable(this::failsOnce);
    }

    @Retry(name = "payments")
    public Flux<String> fluxFailsOnce() {
        return Flux.defer(() -> Flux.just(failsOnce(), "more"));
    }
}

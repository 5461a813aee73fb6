package dev.resilience.spring.actuate;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadConfig;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.ManualClock;
import dev.resilience.core.Registry;
import dev.resilience.core.ResilienceEvent;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResilienceEventsBufferTest {

    private static final int CAPACITY = 16;

    private final ManualClock clock = new ManualClock();
    private final ResilienceRegistries registries = new ResilienceRegistries(
            Registry.builder(CircuitBreaker.KIND, (String n, CircuitBreakerConfig c) -> CircuitBreaker.of(n, c, clock),
                    CircuitBreakerConfig.defaults()).build(),
            Registry.builder("retry", (String n, RetryConfig c) -> Retry.of(n, c, clock), RetryConfig.defaults()).build(),
            Registry.builder(Bulkhead.KIND, (String n, BulkheadConfig c) -> Bulkhead.of(n, c, clock), BulkheadConfig.defaults()).build(),
            Registry.builder(ThreadPoolBulkhead.KIND, (String n, ThreadPoolBulkheadConfig c) -> ThreadPoolBulkhead.of(n, c, clock),
                    ThreadPoolBulkheadConfig.defaults()).build(),
            Registry.builder("ratelimiter", (String n, RateLimiterConfig c) -> RateLimiter.of(n, c, clock),
                    RateLimiterConfig.defaults()).build(),
            Registry.builder(Timeout.KIND, (String n, TimeoutConfig c) -> Timeout.of(n, c, clock), TimeoutConfig.defaults()).build());
    private final CircuitBreaker existing = registries.circuitBreakers().get("existing");
    private final ResilienceEventsBuffer buffer = new ResilienceEventsBuffer(registries, CAPACITY);

    @AfterEach
    void close() {
        buffer.close();
    }

    @Test
    void keepsTheNewestEventsOfAnInstanceCreatedBeforeItNewestLast() {
        for (int i = 0; i < CAPACITY + 5; i++) {
            existing.call(() -> "ok");
        }
        existing.transitionToForcedOpenState();

        List<ResilienceEvent> events = buffer.events(null, null);

        assertThat(events).hasSize(CAPACITY);
        assertThat(events.get(CAPACITY - 1).type()).isEqualTo("STATE_TRANSITION");
        assertThat(events.subList(0, CAPACITY - 1)).extracting(ResilienceEvent::type).containsOnly("SUCCESS");
    }

    @Test
    void clearForgetsEveryEventAndKeepsListening() {
        existing.call(() -> "ok");
        registries.retries().get("later").call(() -> "ok");

        buffer.clear();
        existing.transitionToOpenState();

        assertThat(buffer.events(null, null)).extracting(ResilienceEvent::type).containsExactly("STATE_TRANSITION");
    }

    @Test
    void followsInstancesCreatedLaterAndForgetsRemovedOnes() {
        CircuitBreaker late = registries.circuitBreakers().get("late");
        late.transitionToOpenState();
        assertThat(buffer.events("circuitbreaker", "late")).extracting(ResilienceEvent::type).containsExactly("STATE_TRANSITION");

        registries.circuitBreakers().remove("late");
        late.transitionToClosedState();

        assertThat(buffer.events(null, "late")).isEmpty();
    }

    @Test
    void filtersByKindAndName() {
        existing.call(() -> "ok");
        Retry retry = registries.retries().get("existing");
        assertThatThrownBy(() -> retry.call(() -> { throw new AssertionError("not retried"); })).isInstanceOf(AssertionError.class);

        assertThat(buffer.events(null, "existing")).extracting(ResilienceEvent::kind).containsExactly("circuitbreaker", "retry");
        assertThat(buffer.events("retry", null)).extracting(ResilienceEvent::type).containsExactly("IGNORED_ERROR");
        assertThat(buffer.events("bulkhead", "existing")).isEmpty();
    }

    @Test
    void neverExceedsItsBoundUnderAFloodFromManyThreads() throws Exception {
        int threads = 8;
        int callsPerThread = 5_000;
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        AtomicBoolean flooding = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            writers.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < callsPerThread; i++) {
                    existing.call(() -> "ok");
                }
                return null;
            }));
        }
        start.await();
        AtomicInteger largest = new AtomicInteger();
        int reads = 0;
        while (flooding.get()) {
            largest.accumulateAndGet(buffer.events(null, null).size(), Math::max);
            reads++;
            flooding.set(writers.stream().anyMatch(writer -> !writer.isDone()));
        }
        for (Future<?> writer : writers) {
            writer.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(reads).isPositive();
        assertThat(largest.get()).isLessThanOrEqualTo(CAPACITY);
        assertThat(buffer.events(null, null)).hasSize(CAPACITY);
        assertThat(buffer.events(null, null)).extracting(ResilienceEvent::type).containsOnly("SUCCESS");
    }

    @Test
    void rejectsACapacityBelowOne() {
        assertThatThrownBy(() -> new ResilienceEventsBuffer(registries, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("capacityPerInstance must be >= 1 but was 0");
    }
}

package dev.resilience.spring.actuate;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryMetrics;
import dev.resilience.timeout.Timeout;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The meters Resilience4j 2.x's {@code resilience4j-micrometer} module registers (its {@code Tagged*Metrics}
 * binders with their default {@code *MetricNames}), read from our policies: the same names, tag keys, tag values and
 * meter types, so that a dashboard or an alert written for Resilience4j finds its series. Where a Resilience4j meter is
 * a {@code Timer} fed by events, this one is a {@code FunctionTimer} reading running totals, so the call path pays
 * nothing; it has a count and a total time but no maximum.
 *
 * <p>Stateless; used by {@link ResilienceMeterBinder} under {@link MeterNaming#RESILIENCE4J}.
 */
final class Resilience4jMeters {

    /** Resilience4j's tag key for the instance name ({@code TagNames.NAME}). */
    static final String NAME = "name";
    /** Resilience4j's tag key for what a count counts ({@code TagNames.KIND}). */
    static final String KIND = "kind";

    /**
     * Resilience4j's circuit breaker states, as its {@code state} tag spells them. {@code metrics_only} is a state
     * ours never takes: its gauge is registered (always 0) so that queries naming it still find a series.
     */
    static final List<String> STATES = List.of("closed", "open", "half_open", "disabled", "forced_open", "metrics_only");

    private Resilience4jMeters() {
    }

    static List<Meter> circuitBreaker(MeterRegistry registry, CircuitBreaker breaker) {
        String name = breaker.name();
        List<Meter> meters = new ArrayList<>();
        for (String state : STATES) {
            meters.add(Gauge.builder("resilience4j.circuitbreaker.state", breaker,
                            b -> b.state().name().toLowerCase(Locale.ROOT).equals(state) ? 1 : 0)
                    .tag(NAME, name).tag("state", state)
                    .description("The states of the circuit breaker").strongReference(true).register(registry));
        }
        meters.add(breakerGauge(registry, "resilience4j.circuitbreaker.buffered.calls", breaker, "failed",
                CircuitBreakerMetrics::failedCalls, "The number of buffered failed calls stored in the ring buffer"));
        meters.add(breakerGauge(registry, "resilience4j.circuitbreaker.buffered.calls", breaker, "successful",
                CircuitBreakerMetrics::successfulCalls, "The number of buffered successful calls stored in the ring buffer"));
        meters.add(breakerGauge(registry, "resilience4j.circuitbreaker.slow.calls", breaker, "successful",
                CircuitBreakerMetrics::slowSuccessfulCalls, "The number of slow successful which were slower than a certain threshold"));
        meters.add(breakerGauge(registry, "resilience4j.circuitbreaker.slow.calls", breaker, "failed",
                CircuitBreakerMetrics::slowFailedCalls, "The number of slow failed calls which were slower than a certain threshold"));
        meters.add(gauge(registry, "resilience4j.circuitbreaker.failure.rate", breaker, b -> b.metrics().failureRate(),
                "The failure rate of the circuit breaker"));
        meters.add(gauge(registry, "resilience4j.circuitbreaker.slow.call.rate", breaker, b -> b.metrics().slowCallRate(),
                "The slow call of the circuit breaker"));
        meters.add(breakerCalls(registry, breaker, "successful", CircuitBreakerMetrics::totalSuccessfulCalls,
                CircuitBreakerMetrics::totalSuccessfulCallsNanos, "Total number of successful calls"));
        meters.add(breakerCalls(registry, breaker, "failed", CircuitBreakerMetrics::totalFailedCalls,
                CircuitBreakerMetrics::totalFailedCallsNanos, "Total number of failed calls"));
        // Ignored calls are counted but never timed.
        meters.add(breakerCalls(registry, breaker, "ignored", CircuitBreakerMetrics::totalIgnoredCalls, m -> 0,
                "Total number of calls which failed but the exception was ignored"));
        meters.add(FunctionCounter.builder("resilience4j.circuitbreaker.not.permitted.calls", breaker,
                        b -> b.metrics().notPermittedCalls())
                .tag(NAME, name).tag(KIND, "not_permitted").description("Total number of not permitted calls")
                .register(registry));
        return meters;
    }

    private static Meter breakerGauge(MeterRegistry registry, String meter, CircuitBreaker breaker, String kind,
                                      ToDoubleFunction<CircuitBreakerMetrics> value, String description) {
        return Gauge.builder(meter, breaker, b -> value.applyAsDouble(b.metrics()))
                .tag(NAME, breaker.name()).tag(KIND, kind).description(description).strongReference(true).register(registry);
    }

    /**
     * A breaker that does not time its calls (slow-call detection off) reports a total time of 0: Resilience4j's
     * timer has a time for every call, ours only where it is measured anyway.
     */
    private static Meter breakerCalls(MeterRegistry registry, CircuitBreaker breaker, String kind,
                                      ToLongFunction<CircuitBreakerMetrics> count, ToLongFunction<CircuitBreakerMetrics> nanos,
                                      String description) {
        return FunctionTimer.builder("resilience4j.circuitbreaker.calls", breaker, b -> count.applyAsLong(b.metrics()),
                        b -> Math.max(0, nanos.applyAsLong(b.metrics())), TimeUnit.NANOSECONDS)
                .tag(NAME, breaker.name()).tag(KIND, kind).description(description).register(registry);
    }

    static List<Meter> bulkhead(MeterRegistry registry, Bulkhead bulkhead) {
        List<Meter> meters = new ArrayList<>();
        meters.add(gauge(registry, "resilience4j.bulkhead.available.concurrent.calls", bulkhead,
                b -> b.metrics().availableConcurrentCalls(), "The number of available permissions"));
        meters.add(gauge(registry, "resilience4j.bulkhead.max.allowed.concurrent.calls", bulkhead,
                b -> b.metrics().maxConcurrentCalls(), "The maximum number of available permissions"));
        return meters;
    }

    static List<Meter> threadPoolBulkhead(MeterRegistry registry, ThreadPoolBulkhead bulkhead) {
        List<Meter> meters = new ArrayList<>();
        meters.add(gauge(registry, "resilience4j.bulkhead.queue.depth", bulkhead, b -> b.metrics().queueDepth(),
                "The queue depth"));
        meters.add(gauge(registry, "resilience4j.bulkhead.thread.pool.size", bulkhead, b -> b.metrics().threadPoolSize(),
                "The thread pool size"));
        meters.add(gauge(registry, "resilience4j.bulkhead.queue.capacity", bulkhead, b -> b.metrics().queueCapacity(),
                "The queue capacity"));
        meters.add(gauge(registry, "resilience4j.bulkhead.max.thread.pool.size", bulkhead,
                b -> b.metrics().maxThreadPoolSize(), "The maximum thread pool size"));
        meters.add(gauge(registry, "resilience4j.bulkhead.core.thread.pool.size", bulkhead,
                b -> b.metrics().coreThreadPoolSize(), "The core thread pool size"));
        meters.add(gauge(registry, "resilience4j.bulkhead.active.thread.count", bulkhead,
                b -> b.metrics().activeThreads(), "The number of active threads"));
        // Resilience4j's available threads: the maximum pool size less the threads running a call.
        meters.add(gauge(registry, "resilience4j.bulkhead.available.thread.count", bulkhead,
                b -> b.metrics().maxThreadPoolSize() - b.metrics().activeThreads(), "The number of available threads"));
        return meters;
    }

    static List<Meter> rateLimiter(MeterRegistry registry, RateLimiter limiter) {
        List<Meter> meters = new ArrayList<>();
        meters.add(gauge(registry, "resilience4j.ratelimiter.available.permissions", limiter,
                l -> l.metrics().availablePermissions(), "The number of available permissions"));
        meters.add(gauge(registry, "resilience4j.ratelimiter.waiting_threads", limiter, l -> l.metrics().waitingCalls(),
                "The number of waiting threads"));
        return meters;
    }

    static List<Meter> retry(MeterRegistry registry, Retry retry) {
        List<Meter> meters = new ArrayList<>();
        meters.add(retryCalls(registry, retry, "successful_without_retry", RetryMetrics::successfulCallsWithoutRetry,
                "The number of successful calls without a retry attempt"));
        meters.add(retryCalls(registry, retry, "successful_with_retry", RetryMetrics::successfulCallsWithRetry,
                "The number of successful calls after a retry attempt"));
        // Resilience4j counts a call ended by an error it does not retry as failed without retry.
        meters.add(retryCalls(registry, retry, "failed_without_retry",
                m -> m.failedCallsWithoutRetry() + m.failedCallsWithIgnoredError(),
                "The number of failed calls without a retry attempt"));
        meters.add(retryCalls(registry, retry, "failed_with_retry", RetryMetrics::failedCallsWithRetry,
                "The number of failed calls after a retry attempt"));
        return meters;
    }

    private static Meter retryCalls(MeterRegistry registry, Retry retry, String kind, ToDoubleFunction<RetryMetrics> count,
                                    String description) {
        return FunctionCounter.builder("resilience4j.retry.calls", retry, r -> count.applyAsDouble(r.metrics()))
                .tag(NAME, retry.name()).tag(KIND, kind).description(description).register(registry);
    }

    static List<Meter> timeout(MeterRegistry registry, Timeout timeout) {
        List<Meter> meters = new ArrayList<>();
        meters.add(timeLimiterCalls(registry, timeout, "successful", t -> t.metrics().successfulCalls(),
                "The number of successful calls"));
        meters.add(timeLimiterCalls(registry, timeout, "failed", t -> t.metrics().failedCalls(), "The number of failed calls"));
        meters.add(timeLimiterCalls(registry, timeout, "timeout", t -> t.metrics().timedOutCalls(),
                "The number of timed out calls"));
        return meters;
    }

    private static Meter timeLimiterCalls(MeterRegistry registry, Timeout timeout, String kind, ToDoubleFunction<Timeout> count,
                                          String description) {
        return FunctionCounter.builder("resilience4j.timelimiter.calls", timeout, count)
                .tag(NAME, timeout.name()).tag(KIND, kind).description(description).register(registry);
    }

    private static <T extends dev.resilience.Policy> Meter gauge(MeterRegistry registry, String meter, T policy,
                                                                 ToDoubleFunction<T> value, String description) {
        return Gauge.builder(meter, policy, value).tag(NAME, policy.name()).description(description)
                .strongReference(true).register(registry);
    }
}

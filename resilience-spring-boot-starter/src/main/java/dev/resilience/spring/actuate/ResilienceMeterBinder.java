package dev.resilience.spring.actuate;

import dev.resilience.Policy;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.core.Registry;
import dev.resilience.core.Subscription;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.StoreStatus;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryMetrics;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.keyed.KeyedPolicy;
import dev.resilience.spring.keyed.KeyedInstances;
import dev.resilience.timeout.Timeout;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters for every policy instance, named {@code resilience.<kind>.*} and tagged {@code name}.
 * Instances created after start-up get their meters; removed instances lose them.
 *
 * <p>Every meter is a {@link Gauge} or {@link FunctionCounter} reading the instance's metrics snapshot (running
 * totals kept in striped counters by the policies) when the registry is scraped, so calls pay nothing for
 * them: no event object is created, no listener runs.
 *
 * <p>Meters (tags besides {@code name} in brackets):
 * <ul>
 *   <li>{@code resilience.circuitbreaker.state} [state]: 1 for the current state, 0 for the others;
 *   {@code .failure.rate}, {@code .slow.call.rate} (percent, -1 under the minimum number of calls);
 *   {@code .buffered.calls}; {@code .calls} [outcome: successful, failed, ignored]; {@code .call.duration}
 *   [outcome: successful, failed] (a function timer, for breakers that time calls: slow-call detection on);
 *   {@code .not.permitted.calls}</li>
 *   <li>{@code resilience.retry.calls} [outcome: successful_without_retry, successful_with_retry,
 *   failed_without_retry, failed_with_retry, failed_with_ignored_error]; {@code resilience.retry.budget.refused},
 *   {@code resilience.retry.budget.remaining} (-1 without a budget)</li>
 *   <li>{@code resilience.bulkhead.*} [kind: bulkhead or thread-pool-bulkhead]: {@code .calls} [outcome:
 *   permitted, rejected]; semaphore: {@code .available.concurrent.calls}, {@code .max.concurrent.calls},
 *   {@code .waiting.calls}; thread pool: {@code .queue.depth}, {@code .queue.capacity},
 *   {@code .thread.pool.size}, {@code .active.threads}, {@code .core.thread.pool.size},
 *   {@code .max.thread.pool.size}</li>
 *   <li>{@code resilience.ratelimiter.available.permissions}, {@code .waiting.calls}, {@code .calls} [outcome:
 *   permitted, rejected]; with a shared store ({@code store: redis}): {@code .store.errors} (failures, errors and
 *   command timeouts, of the store) and {@code .store.available} (1 while the store answers, 0 while the limiter's
 *   on-store-failure applies)</li>
 *   <li>{@code resilience.timeout.calls} [outcome: successful, failed, timed_out]</li>
 *   <li>a keyed rate limiter or bulkhead ({@code key} on the annotation): per instance, never per key (keys are
 *   unbounded in number and may be personal data): {@code resilience.ratelimiter.keys} /
 *   {@code resilience.bulkhead.keys} [kind: bulkhead] (keys held now), {@code .max.keys}, {@code .waiting.calls}
 *   (over all keys) and {@code .calls} [outcome: permitted, rejected] (over all keys, dropped keys included); a keyed
 *   rate limiter with a shared store, from start-up (before its first key): {@code resilience.ratelimiter.store.errors}
 *   (over all keys, dropped keys included) and {@code .store.available} (1 while none of the keys held is on its
 *   on-store-failure, 0 otherwise)</li>
 * </ul>
 *
 * <p>With {@link MeterNaming#RESILIENCE4J} it registers Resilience4j 2.x's meters instead (names, tag keys and values
 * of its {@code resilience4j-micrometer} module, e.g. {@code resilience4j.circuitbreaker.calls} tagged
 * {@code kind=successful}) and keeps the {@code resilience.*} name of each of ours that Resilience4j has no equivalent
 * for: {@code resilience.retry.budget.refused}, {@code resilience.retry.budget.remaining},
 * {@code resilience.bulkhead.calls}, {@code resilience.bulkhead.waiting.calls}, {@code resilience.ratelimiter.calls} and
 * the store meters {@code resilience.ratelimiter.store.errors} and {@code resilience.ratelimiter.store.available}.
 *
 * <p>Thread-safe; may be bound to several meter registries. {@link #close()} stops following the registries.
 */
public final class ResilienceMeterBinder implements MeterBinder, AutoCloseable {

    // One name, one description and one tag key for a plain and a keyed rate limiter's store meters: a registry such as
    // Prometheus's wants every meter of a name alike.
    private static final String STORE_ERRORS = "resilience.ratelimiter.store.errors";
    private static final String STORE_ERRORS_DESCRIPTION = "Failures (errors and command timeouts) of the limiter's shared store";
    private static final String STORE_AVAILABLE = "resilience.ratelimiter.store.available";
    private static final String STORE_AVAILABLE_DESCRIPTION =
            "1 while the limiter's shared store answers, 0 while its on-store-failure applies";

    private final ResilienceRegistries registries;
    private final MeterNaming naming;
    private final KeyedInstances keyed;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<Binding> bindings = new CopyOnWriteArrayList<>();

    /**
     * @param registries the policies to measure
     */
    public ResilienceMeterBinder(ResilienceRegistries registries) {
        this(registries, MeterNaming.RESILIENCE, null);
    }

    /**
     * @param registries the policies to measure
     * @param naming whose meter names and tags to register
     */
    public ResilienceMeterBinder(ResilienceRegistries registries, MeterNaming naming) {
        this(registries, naming, null);
    }

    /**
     * @param registries the policies to measure
     * @param keyed the keyed instances to measure (per instance, never per key), or {@code null}
     */
    public ResilienceMeterBinder(ResilienceRegistries registries, KeyedInstances keyed) {
        this(registries, MeterNaming.RESILIENCE, keyed);
    }

    /**
     * @param registries the policies to measure
     * @param naming whose meter names and tags to register (keyed instances' meters have no Resilience4j
     *     equivalent and keep ours)
     * @param keyed the keyed instances to measure (per instance, never per key), or {@code null}
     */
    public ResilienceMeterBinder(ResilienceRegistries registries, MeterNaming naming, KeyedInstances keyed) {
        this.registries = registries;
        this.naming = java.util.Objects.requireNonNull(naming, "naming");
        this.keyed = keyed;
    }

    /** @return whose meter names and tags this binder registers */
    public MeterNaming naming() {
        return naming;
    }

    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        Binding binding = new Binding(meterRegistry, naming == MeterNaming.RESILIENCE4J,
                keyed == null ? policy -> false : keyed::usesStore);
        bindings.add(binding);
        follow(registries.circuitBreakers(), binding, binding::circuitBreaker);
        follow(registries.retries(), binding, binding::retry);
        follow(registries.bulkheads(), binding, binding::bulkhead);
        follow(registries.threadPoolBulkheads(), binding, binding::threadPoolBulkhead);
        follow(registries.rateLimiters(), binding, binding::rateLimiter);
        follow(registries.timeouts(), binding, binding::timeout);
        if (keyed != null) {
            subscriptions.add(keyed.onAdded(policy -> binding.addKeyed(policy)));
            keyed.all().forEach(binding::addKeyed);
        }
    }

    private <P extends Policy> void follow(Registry<P, ?> registry, Binding binding, Function<P, InstanceMeters> register) {
        // Subscribing first means no instance created meanwhile is missed; Binding.add ignores one seen twice.
        subscriptions.add(registry.onAdded(policy -> binding.add(policy, register)));
        subscriptions.add(registry.onRemoved(binding::remove));
        registry.all().forEach(policy -> binding.add(policy, register));
    }

    /** Stops following the registries and removes every meter this binder registered. */
    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
        subscriptions.clear();
        bindings.forEach(Binding::removeAll);
        bindings.clear();
    }

    /**
     * The meters of one instance in one meter registry.
     *
     * @param meters registered meters
     */
    private record InstanceMeters(List<Meter> meters) {
    }

    /** The meters registered in one meter registry, by instance. */
    private static final class Binding {

        private final MeterRegistry meterRegistry;
        private final boolean resilience4j;
        /** Whether a keyed instance's keys count in a shared store: known from its creation, before its first key. */
        private final Predicate<KeyedPolicy<?>> usesStore;
        // Keyed by identity: a removed instance and a new one of the same name are different instances.
        private final ConcurrentHashMap<Policy, InstanceMeters> instances = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<KeyedPolicy<?>, InstanceMeters> keyedInstances = new ConcurrentHashMap<>();

        Binding(MeterRegistry meterRegistry, boolean resilience4j, Predicate<KeyedPolicy<?>> usesStore) {
            this.meterRegistry = meterRegistry;
            this.resilience4j = resilience4j;
            this.usesStore = usesStore;
        }

        <P extends Policy> void add(P policy, Function<P, InstanceMeters> register) {
            instances.computeIfAbsent(policy, p -> register.apply(policy));
        }

        void remove(Policy policy) {
            InstanceMeters removed = instances.remove(policy);
            if (removed != null) {
                unregister(removed);
            }
        }

        void removeAll() {
            instances.values().forEach(this::unregister);
            instances.clear();
            keyedInstances.values().forEach(this::unregister);
            keyedInstances.clear();
        }

        void addKeyed(KeyedPolicy<?> policy) {
            keyedInstances.computeIfAbsent(policy, this::keyed);
        }

        /**
         * A keyed instance's meters: the kind's call counters and waiting calls summed over its keys (dropped keys
         * included in the counters), and the number of keys; tagged with the instance's name, never with a key. A keyed
         * rate limiter whose keys count in a shared store has the store meters of a plain one, under the same names
         * and tags (in either naming, as a plain one has them): errors over all its keys, dropped ones included, and
         * available while none of the keys it holds is on its on-store-failure.
         */
        private InstanceMeters keyed(KeyedPolicy<?> policy) {
            String name = policy.name();
            String prefix = "resilience." + policy.kind();
            boolean bulkhead = Bulkhead.KIND.equals(policy.kind());
            List<Meter> meters = new ArrayList<>();
            meters.add(keyedGauge(prefix + ".keys", policy, p -> p.metrics().keys(), bulkhead,
                    "Keys a keyed instance holds now (each with its own limit)"));
            meters.add(keyedGauge(prefix + ".max.keys", policy, p -> p.maxKeys(), bulkhead,
                    "Most keys a keyed instance holds"));
            meters.add(keyedGauge(prefix + ".waiting.calls", policy, p -> p.metrics().waitingCalls(), bulkhead,
                    "Calls waiting for a permit, over all keys"));
            String description = bulkhead ? "Calls offered to the bulkhead, by outcome" : "Calls offered to the rate limiter, by outcome";
            meters.add(keyedCalls(prefix + ".calls", policy, p -> p.metrics().permittedCalls(), bulkhead, "permitted", description));
            meters.add(keyedCalls(prefix + ".calls", policy, p -> p.metrics().rejectedCalls(), bulkhead, "rejected", description));
            if (!bulkhead && usesStore.test(policy)) {
                meters.add(FunctionCounter.builder(STORE_ERRORS, policy, KeyedPolicy::storeErrors)
                        .tag("name", name).description(STORE_ERRORS_DESCRIPTION).register(meterRegistry));
                meters.add(gauge(STORE_AVAILABLE, policy, p -> p.storeUnavailableKeys() == 0 ? 1 : 0, name,
                        STORE_AVAILABLE_DESCRIPTION));
            }
            return new InstanceMeters(meters);
        }

        private Meter keyedGauge(String meter, KeyedPolicy<?> policy, ToDoubleFunction<KeyedPolicy<?>> value,
                                 boolean bulkhead, String description) {
            Gauge.Builder<KeyedPolicy<?>> builder = Gauge.builder(meter, policy, value).tag("name", policy.name());
            if (bulkhead) {
                builder.tag("kind", Bulkhead.KIND);
            }
            return builder.description(description).strongReference(true).register(meterRegistry);
        }

        private Meter keyedCalls(String meter, KeyedPolicy<?> policy, ToDoubleFunction<KeyedPolicy<?>> count,
                                 boolean bulkhead, String outcome, String description) {
            FunctionCounter.Builder<KeyedPolicy<?>> builder = FunctionCounter.builder(meter, policy, count)
                    .tag("name", policy.name()).tag("outcome", outcome);
            if (bulkhead) {
                builder.tag("kind", Bulkhead.KIND);
            }
            return builder.description(description).register(meterRegistry);
        }

        private void unregister(InstanceMeters instanceMeters) {
            instanceMeters.meters().forEach(meterRegistry::remove);
        }

        InstanceMeters circuitBreaker(CircuitBreaker breaker) {
            if (resilience4j) {
                return new InstanceMeters(Resilience4jMeters.circuitBreaker(meterRegistry, breaker));
            }
            String name = breaker.name();
            List<Meter> meters = new ArrayList<>();
            for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
                meters.add(Gauge.builder("resilience.circuitbreaker.state", breaker, b -> b.state() == state ? 1 : 0)
                        .tag("name", name).tag("state", state.name())
                        .description("1 for the circuit breaker's current state, 0 for the others")
                        .strongReference(true).register(meterRegistry));
            }
            meters.add(gauge("resilience.circuitbreaker.failure.rate", breaker, b -> b.metrics().failureRate(), name,
                    "Failure rate in percent, -1 while under the minimum number of calls"));
            meters.add(gauge("resilience.circuitbreaker.slow.call.rate", breaker, b -> b.metrics().slowCallRate(), name,
                    "Slow-call rate in percent, -1 while under the minimum number of calls"));
            meters.add(gauge("resilience.circuitbreaker.buffered.calls", breaker, b -> b.metrics().bufferedCalls(), name,
                    "Calls recorded in the sliding window"));
            meters.add(FunctionCounter.builder("resilience.circuitbreaker.not.permitted.calls", breaker,
                            b -> b.metrics().notPermittedCalls())
                    .tag("name", name).description("Calls rejected since creation or the last reset")
                    .register(meterRegistry));
            meters.add(breakerCalls(breaker, name, "successful", CircuitBreakerMetrics::totalSuccessfulCalls));
            meters.add(breakerCalls(breaker, name, "failed", CircuitBreakerMetrics::totalFailedCalls));
            meters.add(breakerCalls(breaker, name, "ignored", CircuitBreakerMetrics::totalIgnoredCalls));
            if (breaker.metrics().totalSuccessfulCallsNanos() >= 0) {
                // Only a breaker that times its calls (slow-call detection on) knows how long they took.
                meters.add(breakerDuration(breaker, name, "successful", CircuitBreakerMetrics::totalSuccessfulCalls,
                        CircuitBreakerMetrics::totalSuccessfulCallsNanos));
                meters.add(breakerDuration(breaker, name, "failed", CircuitBreakerMetrics::totalFailedCalls,
                        CircuitBreakerMetrics::totalFailedCallsNanos));
            }
            return new InstanceMeters(meters);
        }

        private Meter breakerCalls(CircuitBreaker breaker, String name, String outcome,
                                   ToDoubleFunction<CircuitBreakerMetrics> count) {
            return FunctionCounter.builder("resilience.circuitbreaker.calls", breaker, b -> count.applyAsDouble(b.metrics()))
                    .tag("name", name).tag("outcome", outcome)
                    .description("Calls completed through the circuit breaker, by outcome").register(meterRegistry);
        }

        private Meter breakerDuration(CircuitBreaker breaker, String name, String outcome,
                                      ToLongFunction<CircuitBreakerMetrics> count, ToDoubleFunction<CircuitBreakerMetrics> nanos) {
            return FunctionTimer.builder("resilience.circuitbreaker.call.duration", breaker,
                            b -> count.applyAsLong(b.metrics()), b -> nanos.applyAsDouble(b.metrics()), TimeUnit.NANOSECONDS)
                    .tag("name", name).tag("outcome", outcome)
                    .description("Time spent in calls recorded by the circuit breaker, by outcome").register(meterRegistry);
        }

        InstanceMeters retry(Retry retry) {
            String name = retry.name();
            List<Meter> meters = new ArrayList<>();
            if (resilience4j) {
                meters.addAll(Resilience4jMeters.retry(meterRegistry, retry));
            } else {
                meters.add(retryCalls(retry, name, "successful_without_retry", RetryMetrics::successfulCallsWithoutRetry));
                meters.add(retryCalls(retry, name, "successful_with_retry", RetryMetrics::successfulCallsWithRetry));
                meters.add(retryCalls(retry, name, "failed_without_retry", RetryMetrics::failedCallsWithoutRetry));
                meters.add(retryCalls(retry, name, "failed_with_retry", RetryMetrics::failedCallsWithRetry));
                meters.add(retryCalls(retry, name, "failed_with_ignored_error", RetryMetrics::failedCallsWithIgnoredError));
            }
            meters.add(FunctionCounter.builder("resilience.retry.budget.refused", retry, r -> r.metrics().retriesRefusedByBudget())
                    .tag("name", name).description("Retries refused because the retry budget was spent")
                    .register(meterRegistry));
            meters.add(gauge("resilience.retry.budget.remaining", retry, r -> r.metrics().budgetRemaining(), name,
                    "Retries the budget still allows in its window, -1 without a budget"));
            return new InstanceMeters(meters);
        }

        private Meter retryCalls(Retry retry, String name, String outcome, ToDoubleFunction<RetryMetrics> count) {
            return FunctionCounter.builder("resilience.retry.calls", retry, r -> count.applyAsDouble(r.metrics()))
                    .tag("name", name).tag("outcome", outcome).description("Calls through the retry, by outcome")
                    .register(meterRegistry);
        }

        InstanceMeters bulkhead(Bulkhead bulkhead) {
            String name = bulkhead.name();
            String kind = Bulkhead.KIND;
            List<Meter> meters = new ArrayList<>();
            if (resilience4j) {
                meters.addAll(Resilience4jMeters.bulkhead(meterRegistry, bulkhead));
            } else {
                meters.add(bulkheadGauge("resilience.bulkhead.available.concurrent.calls", bulkhead,
                        b -> b.metrics().availableConcurrentCalls(), name, kind, "Calls the bulkhead would admit now"));
                meters.add(bulkheadGauge("resilience.bulkhead.max.concurrent.calls", bulkhead,
                        b -> b.metrics().maxConcurrentCalls(), name, kind, "Calls the bulkhead admits at once"));
            }
            meters.add(bulkheadGauge("resilience.bulkhead.waiting.calls", bulkhead,
                    b -> b.metrics().waitingCalls(), name, kind, "Calls waiting for a permit"));
            meters.add(bulkheadCalls(bulkhead, b -> b.metrics().permittedCalls(), name, kind, "permitted"));
            meters.add(bulkheadCalls(bulkhead, b -> b.metrics().rejectedCalls(), name, kind, "rejected"));
            return new InstanceMeters(meters);
        }

        InstanceMeters threadPoolBulkhead(ThreadPoolBulkhead bulkhead) {
            String name = bulkhead.name();
            String kind = ThreadPoolBulkhead.KIND;
            List<Meter> meters = new ArrayList<>();
            if (resilience4j) {
                meters.addAll(Resilience4jMeters.threadPoolBulkhead(meterRegistry, bulkhead));
                meters.add(bulkheadCalls(bulkhead, b -> b.metrics().permittedCalls(), name, kind, "permitted"));
                meters.add(bulkheadCalls(bulkhead, b -> b.metrics().rejectedCalls(), name, kind, "rejected"));
                return new InstanceMeters(meters);
            }
            meters.add(bulkheadGauge("resilience.bulkhead.queue.depth", bulkhead, b -> b.metrics().queueDepth(),
                    name, kind, "Calls waiting in the queue"));
            meters.add(bulkheadGauge("resilience.bulkhead.queue.capacity", bulkhead, b -> b.metrics().queueCapacity(),
                    name, kind, "Capacity of the queue"));
            meters.add(bulkheadGauge("resilience.bulkhead.thread.pool.size", bulkhead, b -> b.metrics().threadPoolSize(),
                    name, kind, "Threads in the pool"));
            meters.add(bulkheadGauge("resilience.bulkhead.active.threads", bulkhead, b -> b.metrics().activeThreads(),
                    name, kind, "Threads running a call"));
            meters.add(bulkheadGauge("resilience.bulkhead.core.thread.pool.size", bulkhead,
                    b -> b.metrics().coreThreadPoolSize(), name, kind, "Configured core pool size"));
            meters.add(bulkheadGauge("resilience.bulkhead.max.thread.pool.size", bulkhead,
                    b -> b.metrics().maxThreadPoolSize(), name, kind, "Configured maximum pool size"));
            meters.add(bulkheadCalls(bulkhead, b -> b.metrics().permittedCalls(), name, kind, "permitted"));
            meters.add(bulkheadCalls(bulkhead, b -> b.metrics().rejectedCalls(), name, kind, "rejected"));
            return new InstanceMeters(meters);
        }

        private <T> Meter bulkheadGauge(String meter, T bulkhead, ToDoubleFunction<T> value, String name, String kind,
                                        String description) {
            return Gauge.builder(meter, bulkhead, value).tag("name", name).tag("kind", kind)
                    .description(description).strongReference(true).register(meterRegistry);
        }

        private <T> Meter bulkheadCalls(T bulkhead, ToDoubleFunction<T> count, String name, String kind, String outcome) {
            return FunctionCounter.builder("resilience.bulkhead.calls", bulkhead, count)
                    .tag("name", name).tag("kind", kind).tag("outcome", outcome)
                    .description("Calls offered to the bulkhead, by outcome").register(meterRegistry);
        }

        InstanceMeters rateLimiter(RateLimiter limiter) {
            String name = limiter.name();
            List<Meter> meters = new ArrayList<>();
            if (resilience4j) {
                meters.addAll(Resilience4jMeters.rateLimiter(meterRegistry, limiter));
            } else {
                meters.add(gauge("resilience.ratelimiter.available.permissions", limiter,
                        l -> l.metrics().availablePermissions(), name, "Permits still free in the current period"));
                meters.add(gauge("resilience.ratelimiter.waiting.calls", limiter, l -> l.metrics().waitingCalls(), name,
                        "Calls waiting for a permit"));
            }
            meters.add(FunctionCounter.builder("resilience.ratelimiter.calls", limiter, l -> l.metrics().permittedCalls())
                    .tag("name", name).tag("outcome", "permitted").description("Calls offered to the rate limiter, by outcome")
                    .register(meterRegistry));
            meters.add(FunctionCounter.builder("resilience.ratelimiter.calls", limiter, l -> l.metrics().rejectedCalls())
                    .tag("name", name).tag("outcome", "rejected").description("Calls offered to the rate limiter, by outcome")
                    .register(meterRegistry));
            if (limiter.storeStatus().isPresent()) {
                meters.add(FunctionCounter.builder(STORE_ERRORS, limiter,
                                l -> l.storeStatus().map(StoreStatus::errors).orElse(0L))
                        .tag("name", name).description(STORE_ERRORS_DESCRIPTION).register(meterRegistry));
                meters.add(gauge(STORE_AVAILABLE, limiter,
                        l -> l.storeStatus().map(status -> status.available() ? 1 : 0).orElse(0), name,
                        STORE_AVAILABLE_DESCRIPTION));
            }
            return new InstanceMeters(meters);
        }

        InstanceMeters timeout(Timeout timeout) {
            if (resilience4j) {
                return new InstanceMeters(Resilience4jMeters.timeout(meterRegistry, timeout));
            }
            String name = timeout.name();
            List<Meter> meters = new ArrayList<>();
            meters.add(timeoutCalls(timeout, t -> t.metrics().successfulCalls(), name, "successful"));
            meters.add(timeoutCalls(timeout, t -> t.metrics().failedCalls(), name, "failed"));
            meters.add(timeoutCalls(timeout, t -> t.metrics().timedOutCalls(), name, "timed_out"));
            return new InstanceMeters(meters);
        }

        private Meter timeoutCalls(Timeout timeout, ToDoubleFunction<Timeout> count, String name, String outcome) {
            return FunctionCounter.builder("resilience.timeout.calls", timeout, count)
                    .tag("name", name).tag("outcome", outcome).description("Calls through the timeout, by outcome")
                    .register(meterRegistry);
        }

        private <T> Meter gauge(String meter, T policy, ToDoubleFunction<T> value, String name, String description) {
            return Gauge.builder(meter, policy, value).tag("name", name).description(description)
                    .strongReference(true).register(meterRegistry);
        }
    }
}

package dev.resilience.spring.actuate;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadConfig;
import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.ManualClock;
import dev.resilience.core.Registry;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.BulkheadMetricNames;
import io.github.resilience4j.micrometer.tagged.CircuitBreakerMetricNames;
import io.github.resilience4j.micrometer.tagged.RateLimiterMetricNames;
import io.github.resilience4j.micrometer.tagged.RetryMetricNames;
import io.github.resilience4j.micrometer.tagged.TagNames;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedThreadPoolBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.ThreadPoolBulkheadMetricNames;
import io.github.resilience4j.micrometer.tagged.TimeLimiterMetricNames;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code resilience.metrics.naming=resilience4j}: our meters are the ones Resilience4j 2.4's own micrometer module
 * registers, checked against its metric-name constants and against what its binders register for instances of the
 * same names.
 */
class Resilience4jMeterNamingTest {

    private final ManualClock clock = new ManualClock();
    private final ResilienceRegistries registries = new ResilienceRegistries(
            Registry.builder(CircuitBreaker.KIND, (String n, CircuitBreakerConfig c) -> CircuitBreaker.of(n, c, clock),
                    CircuitBreakerConfig.builder().slidingWindowSize(2).minimumNumberOfCalls(2).build()).build(),
            Registry.builder("retry", (String n, RetryConfig c) -> Retry.of(n, c, clock),
                    RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ZERO)
                            .ignoreExceptions(IllegalArgumentException.class).build()).build(),
            Registry.builder(Bulkhead.KIND, (String n, BulkheadConfig c) -> Bulkhead.of(n, c, clock),
                    BulkheadConfig.builder().maxConcurrentCalls(4).build()).build(),
            Registry.builder(ThreadPoolBulkhead.KIND, (String n, ThreadPoolBulkheadConfig c) -> ThreadPoolBulkhead.of(n, c, clock),
                    ThreadPoolBulkheadConfig.builder().coreThreadPoolSize(1).maxThreadPoolSize(2).queueCapacity(3).build()).build(),
            Registry.builder("ratelimiter", (String n, RateLimiterConfig c) -> RateLimiter.of(n, c, clock),
                    RateLimiterConfig.builder().limitForPeriod(5).limitRefreshPeriod(Duration.ofHours(1))
                            .timeoutDuration(Duration.ZERO).build()).build(),
            Registry.builder(Timeout.KIND, (String n, TimeoutConfig c) -> Timeout.of(n, c, clock), TimeoutConfig.defaults()).build());
    private final MeterRegistry ours = new SimpleMeterRegistry();
    private final ResilienceMeterBinder binder = new ResilienceMeterBinder(registries, MeterNaming.RESILIENCE4J);
    private final ThreadPoolBulkheadRegistry theirThreadPools = ThreadPoolBulkheadRegistry.ofDefaults();

    @BeforeEach
    void createOneInstanceOfEachKind() {
        registries.circuitBreakers().get("inventory");
        registries.retries().get("payments");
        registries.bulkheads().get("orders");
        registries.threadPoolBulkheads().get("reports");
        registries.rateLimiters().get("search");
        registries.timeouts().get("slow");
        binder.bindTo(ours);
    }

    @AfterEach
    void close() {
        binder.close();
        registries.threadPoolBulkheads().all().forEach(ThreadPoolBulkhead::shutdownNow);
        theirThreadPools.getAllBulkheads().forEach(bulkhead -> {
            try {
                bulkhead.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Name, type and every tag of a meter: what a query or a dashboard panel selects it by. */
    private static Set<String> ids(MeterRegistry registry, String prefix) {
        return registry.getMeters().stream().map(Meter::getId).filter(id -> id.getName().startsWith(prefix))
                .map(id -> id.getName() + " " + id.getType() + " " + id.getTags())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theMetersAreExactlyThoseResilience4jsOwnBindersRegisterForInstancesOfTheSameNames() {
        MeterRegistry theirs = new SimpleMeterRegistry();
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        breakers.circuitBreaker("inventory");
        RetryRegistry retries = RetryRegistry.ofDefaults();
        retries.retry("payments");
        BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
        bulkheads.bulkhead("orders");
        theirThreadPools.bulkhead("reports");
        RateLimiterRegistry limiters = RateLimiterRegistry.ofDefaults();
        limiters.rateLimiter("search");
        TimeLimiterRegistry timeLimiters = TimeLimiterRegistry.ofDefaults();
        timeLimiters.timeLimiter("slow");
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(theirs);
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(theirs);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(theirs);
        TaggedThreadPoolBulkheadMetrics.ofThreadPoolBulkheadRegistry(theirThreadPools).bindTo(theirs);
        TaggedRateLimiterMetrics.ofRateLimiterRegistry(limiters).bindTo(theirs);
        TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(timeLimiters).bindTo(theirs);

        assertThat(ids(ours, "resilience4j.")).isNotEmpty().isEqualTo(ids(theirs, "resilience4j."));
    }

    @Test
    void everyMeterNameIsOneOfResilience4jsDefaultMetricNameConstants() {
        CircuitBreakerMetricNames breaker = CircuitBreakerMetricNames.ofDefaults();
        BulkheadMetricNames bulkhead = BulkheadMetricNames.ofDefaults();
        ThreadPoolBulkheadMetricNames threadPool = ThreadPoolBulkheadMetricNames.ofDefaults();
        RateLimiterMetricNames limiter = RateLimiterMetricNames.ofDefaults();
        Set<String> constants = Set.of(
                breaker.getCallsMetricName(), breaker.getNotPermittedCallsMetricName(), breaker.getStateMetricName(),
                breaker.getBufferedCallsMetricName(), breaker.getSlowCallsMetricName(), breaker.getFailureRateMetricName(),
                breaker.getSlowCallRateMetricName(),
                bulkhead.getAvailableConcurrentCallsMetricName(), bulkhead.getMaxAllowedConcurrentCallsMetricName(),
                threadPool.getQueueDepthMetricName(), threadPool.getThreadPoolSizeMetricName(),
                threadPool.getMaxThreadPoolSizeMetricName(), threadPool.getCoreThreadPoolSizeMetricName(),
                threadPool.getQueueCapacityMetricName(), threadPool.getActiveThreadCountMetricName(),
                threadPool.getAvailableThreadCountMetricName(),
                limiter.getAvailablePermissionsMetricName(), limiter.getWaitingThreadsMetricName(),
                RetryMetricNames.ofDefaults().getCallsMetricName(), TimeLimiterMetricNames.ofDefaults().getCallsMetricName());

        Set<String> names = ours.getMeters().stream().map(meter -> meter.getId().getName())
                .filter(name -> name.startsWith("resilience4j.")).collect(Collectors.toSet());

        assertThat(names).isEqualTo(constants);
        assertThat(ours.getMeters()).filteredOn(meter -> meter.getId().getName().startsWith("resilience4j."))
                .allSatisfy(meter -> assertThat(meter.getId().getTag(TagNames.NAME)).isNotNull());
    }

    @Test
    void onlyOurMetersWithoutAResilience4jEquivalentKeepTheirOwnNames() {
        Set<String> names = ours.getMeters().stream().map(meter -> meter.getId().getName())
                .filter(name -> name.startsWith("resilience.")).collect(Collectors.toCollection(TreeSet::new));

        assertThat(names).containsExactly("resilience.bulkhead.calls", "resilience.bulkhead.waiting.calls",
                "resilience.ratelimiter.calls", "resilience.retry.budget.refused", "resilience.retry.budget.remaining");
    }

    @Test
    void breakerMetersReadTheBreaker() {
        CircuitBreaker breaker = registries.circuitBreakers().get("inventory");
        breaker.call(() -> "ok");
        assertThatThrownBy(() -> breaker.call(() -> {
            throw new IllegalStateException("down");
        })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> breaker.call(() -> "rejected")).isInstanceOf(CallNotPermittedException.class);

        assertThat(ours.get("resilience4j.circuitbreaker.state").tags("name", "inventory", "state", "open").gauge().value()).isEqualTo(1);
        assertThat(ours.get("resilience4j.circuitbreaker.state").tags("name", "inventory", "state", "closed").gauge().value()).isEqualTo(0);
        assertThat(ours.get("resilience4j.circuitbreaker.state").tags("name", "inventory", "state", "metrics_only").gauge().value()).isEqualTo(0);
        assertThat(ours.get("resilience4j.circuitbreaker.failure.rate").tag("name", "inventory").gauge().value()).isEqualTo(50);
        assertThat(ours.get("resilience4j.circuitbreaker.buffered.calls").tags("name", "inventory", "kind", "failed").gauge().value()).isEqualTo(1);
        assertThat(ours.get("resilience4j.circuitbreaker.buffered.calls").tags("name", "inventory", "kind", "successful").gauge().value()).isEqualTo(1);
        assertThat(ours.get("resilience4j.circuitbreaker.calls").tags("name", "inventory", "kind", "successful").functionTimer().count()).isEqualTo(1);
        assertThat(ours.get("resilience4j.circuitbreaker.calls").tags("name", "inventory", "kind", "failed").functionTimer().count()).isEqualTo(1);
        assertThat(ours.get("resilience4j.circuitbreaker.not.permitted.calls").tags("name", "inventory", "kind", "not_permitted")
                .functionCounter().count()).isEqualTo(1);
    }

    @Test
    void aRetryEndedByAnErrorItDoesNotRetryCountsAsFailedWithoutRetryAsInResilience4j() {
        Retry retry = registries.retries().get("payments");
        assertThatThrownBy(() -> retry.call(() -> {
            throw new IllegalArgumentException("not retried");
        })).isInstanceOf(IllegalArgumentException.class);
        retry.call(() -> "ok");

        assertThat(ours.get("resilience4j.retry.calls").tags("name", "payments", "kind", "failed_without_retry")
                .functionCounter().count()).isEqualTo(1);
        assertThat(ours.get("resilience4j.retry.calls").tags("name", "payments", "kind", "successful_without_retry")
                .functionCounter().count()).isEqualTo(1);
    }

    @Test
    void bulkheadRateLimiterAndTimeoutMetersReadTheirPolicies() {
        assertThat(ours.get("resilience4j.bulkhead.max.allowed.concurrent.calls").tag("name", "orders").gauge().value()).isEqualTo(4);
        assertThat(ours.get("resilience4j.bulkhead.available.concurrent.calls").tag("name", "orders").gauge().value()).isEqualTo(4);
        assertThat(ours.get("resilience4j.bulkhead.queue.capacity").tag("name", "reports").gauge().value()).isEqualTo(3);
        assertThat(ours.get("resilience4j.bulkhead.available.thread.count").tag("name", "reports").gauge().value()).isEqualTo(2);
        registries.rateLimiters().get("search").call(() -> "ok");
        assertThat(ours.get("resilience4j.ratelimiter.available.permissions").tag("name", "search").gauge().value()).isEqualTo(4);
        registries.timeouts().get("slow").call(() -> "ok");
        assertThat(ours.get("resilience4j.timelimiter.calls").tags("name", "slow", "kind", "successful")
                .functionCounter().count()).isEqualTo(1);
    }
}

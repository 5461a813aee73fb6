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
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResilienceMeterBinderTest {

    private final ManualClock clock = new ManualClock();
    private final ResilienceRegistries registries = new ResilienceRegistries(
            Registry.builder(CircuitBreaker.KIND, (String n, CircuitBreakerConfig c) -> CircuitBreaker.of(n, c, clock),
                    CircuitBreakerConfig.builder().slidingWindowSize(2).minimumNumberOfCalls(2).build()).build(),
            Registry.builder("retry", (String n, RetryConfig c) -> Retry.of(n, c, clock),
                    RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ZERO).build()).build(),
            Registry.builder(Bulkhead.KIND, (String n, BulkheadConfig c) -> Bulkhead.of(n, c, clock),
                    BulkheadConfig.builder().maxConcurrentCalls(4).build()).build(),
            Registry.builder(ThreadPoolBulkhead.KIND, (String n, ThreadPoolBulkheadConfig c) -> ThreadPoolBulkhead.of(n, c, clock),
                    ThreadPoolBulkheadConfig.builder().coreThreadPoolSize(1).maxThreadPoolSize(2).queueCapacity(3).build()).build(),
            Registry.builder("ratelimiter", (String n, RateLimiterConfig c) -> RateLimiter.of(n, c, clock),
                    RateLimiterConfig.builder().limitForPeriod(5).limitRefreshPeriod(Duration.ofHours(1))
                            .timeoutDuration(Duration.ZERO).build()).build(),
            Registry.builder(Timeout.KIND, (String n, TimeoutConfig c) -> Timeout.of(n, c, clock), TimeoutConfig.defaults()).build());
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final ResilienceMeterBinder binder = new ResilienceMeterBinder(registries);

    @BeforeEach
    void bind() {
        registries.circuitBreakers().get("inventory");
        binder.bindTo(meters);
    }

    @AfterEach
    void close() {
        binder.close();
        registries.threadPoolBulkheads().all().forEach(ThreadPoolBulkhead::shutdownNow);
    }

    private double gauge(String name, String... tags) {
        return meters.get(name).tags(tags).gauge().value();
    }

    private double counter(String name, String... tags) {
        return meters.get(name).tags(tags).functionCounter().count();
    }

    @Test
    void circuitBreakerStateIsOneForTheCurrentStateOnly() {
        registries.circuitBreakers().get("inventory").transitionToOpenState();

        assertThat(gauge("resilience.circuitbreaker.state", "name", "inventory", "state", "OPEN")).isEqualTo(1);
        assertThat(gauge("resilience.circuitbreaker.state", "name", "inventory", "state", "CLOSED")).isEqualTo(0);
        assertThat(meters.get("resilience.circuitbreaker.state").tag("name", "inventory").gauges()).hasSize(5);
    }

    @Test
    void circuitBreakerCallsAreCountedByOutcomeWithRatesAndRejections() {
        CircuitBreaker breaker = registries.circuitBreakers().get("inventory");
        assertThat(gauge("resilience.circuitbreaker.failure.rate", "name", "inventory")).isEqualTo(-1);
        breaker.call(() -> "ok");
        assertThatThrownBy(() -> breaker.call(() -> { throw new IllegalStateException("down"); }))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> breaker.call(() -> "rejected")).isInstanceOf(CallNotPermittedException.class);

        assertThat(meters.get("resilience.circuitbreaker.calls").tags("name", "inventory", "outcome", "successful").functionCounter().count()).isEqualTo(1);
        assertThat(meters.get("resilience.circuitbreaker.calls").tags("name", "inventory", "outcome", "failed").functionCounter().count()).isEqualTo(1);
        assertThat(meters.get("resilience.circuitbreaker.calls").tags("name", "inventory", "outcome", "ignored").functionCounter().count()).isEqualTo(0);
        assertThat(counter("resilience.circuitbreaker.not.permitted.calls", "name", "inventory")).isEqualTo(1);
        assertThat(gauge("resilience.circuitbreaker.failure.rate", "name", "inventory")).isEqualTo(50);
        assertThat(gauge("resilience.circuitbreaker.slow.call.rate", "name", "inventory")).isEqualTo(0);
        assertThat(gauge("resilience.circuitbreaker.buffered.calls", "name", "inventory")).isEqualTo(2);
    }

    @Test
    void retryCallsAreCountedByOutcome() {
        Retry retry = registries.retries().get("payments");
        retry.call(() -> "first time");
        AtomicInteger attempts = new AtomicInteger();
        retry.call(() -> {
            if (attempts.incrementAndGet() < 2) {
                throw new IllegalStateException("flaky");
            }
            return "second time";
        });

        assertThat(counter("resilience.retry.calls", "name", "payments", "outcome", "successful_without_retry")).isEqualTo(1);
        assertThat(counter("resilience.retry.calls", "name", "payments", "outcome", "successful_with_retry")).isEqualTo(1);
        assertThat(counter("resilience.retry.calls", "name", "payments", "outcome", "failed_with_retry")).isEqualTo(0);
    }

    @Test
    void timedBreakerCallsGetADurationTimerByOutcome() {
        CircuitBreaker timed = registries.circuitBreakers().get("timed", CircuitBreakerConfig.defaults());
        timed.call(() -> {
            clock.advance(Duration.ofMillis(40));
            return "ok";
        });
        io.micrometer.core.instrument.FunctionTimer timer = meters.get("resilience.circuitbreaker.call.duration")
                .tags("name", "timed", "outcome", "successful").functionTimer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(40);
    }

    @Test
    void untimedBreakerGetsNoDurationTimer() {
        registries.circuitBreakers().get("untimed", CircuitBreakerConfig.builder().slowCallDurationThreshold(Duration.ZERO).build());
        assertThat(meters.find("resilience.circuitbreaker.call.duration").tag("name", "untimed").meters()).isEmpty();
        assertThat(meters.find("resilience.circuitbreaker.calls").tag("name", "untimed").meters()).hasSize(3);
    }

    @Test
    void retryBudgetRefusalsAndRemainingAreMetered() {
        Retry retry = registries.retries().get("budgeted", RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ZERO)
                .budgetEnabled(true).budgetRatio(0).budgetMinRetriesPerSecond(0.1).budgetWindow(Duration.ofSeconds(10)).build());
        registries.retries().get("unbudgeted");
        assertThat(gauge("resilience.retry.budget.remaining", "name", "budgeted")).isEqualTo(1);
        assertThat(gauge("resilience.retry.budget.remaining", "name", "unbudgeted")).isEqualTo(-1);

        assertThatThrownBy(() -> retry.call(() -> {
            throw new IllegalStateException("down");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(counter("resilience.retry.budget.refused", "name", "budgeted")).isEqualTo(1);
        assertThat(gauge("resilience.retry.budget.remaining", "name", "budgeted")).isEqualTo(0);
    }

    @Test
    void bulkheadsOfBothTypesShareOneNameTaggedByKind() {
        Bulkhead orders = registries.bulkheads().get("orders");
        registries.threadPoolBulkheads().get("reports");
        orders.call(() -> "in and out");

        assertThat(gauge("resilience.bulkhead.available.concurrent.calls", "name", "orders", "kind", "bulkhead")).isEqualTo(4);
        assertThat(gauge("resilience.bulkhead.max.concurrent.calls", "name", "orders", "kind", "bulkhead")).isEqualTo(4);
        assertThat(counter("resilience.bulkhead.calls", "name", "orders", "kind", "bulkhead", "outcome", "permitted")).isEqualTo(1);
        assertThat(gauge("resilience.bulkhead.queue.depth", "name", "reports", "kind", "thread-pool-bulkhead")).isEqualTo(0);
        assertThat(gauge("resilience.bulkhead.queue.capacity", "name", "reports", "kind", "thread-pool-bulkhead")).isEqualTo(3);
        assertThat(gauge("resilience.bulkhead.max.thread.pool.size", "name", "reports", "kind", "thread-pool-bulkhead")).isEqualTo(2);
        assertThat(counter("resilience.bulkhead.calls", "name", "reports", "kind", "thread-pool-bulkhead", "outcome", "rejected")).isEqualTo(0);
    }

    @Test
    void rateLimiterPermitsAndTimeoutCallsAreMeasured() {
        RateLimiter search = registries.rateLimiters().get("search");
        search.acquirePermission();
        registries.timeouts().get("slow");

        assertThat(gauge("resilience.ratelimiter.available.permissions", "name", "search")).isEqualTo(4);
        assertThat(gauge("resilience.ratelimiter.waiting.calls", "name", "search")).isEqualTo(0);
        assertThat(counter("resilience.ratelimiter.calls", "name", "search", "outcome", "permitted")).isEqualTo(1);
        assertThat(counter("resilience.timeout.calls", "name", "slow", "outcome", "timed_out")).isEqualTo(0);
    }

    @Test
    void anInstanceCreatedAfterBindingGetsItsMeters() {
        assertThat(meters.find("resilience.circuitbreaker.state").tag("name", "late").gauges()).isEmpty();

        registries.circuitBreakers().get("late");

        assertThat(meters.find("resilience.circuitbreaker.state").tag("name", "late").gauges()).hasSize(5);
        assertThat(gauge("resilience.circuitbreaker.state", "name", "late", "state", "CLOSED")).isEqualTo(1);
    }

    @Test
    void aRemovedInstanceLosesEveryMeter() {
        registries.rateLimiters().get("search");
        assertThat(meters.find("resilience.circuitbreaker.calls").tag("name", "inventory").meters()).hasSize(3);

        registries.circuitBreakers().remove("inventory");
        registries.rateLimiters().remove("search");

        assertThat(meters.getMeters()).noneMatch(meter -> "inventory".equals(meter.getId().getTag("name")))
                .noneMatch(meter -> "search".equals(meter.getId().getTag("name")));
    }

    @Test
    void closingTheBinderRemovesItsMetersAndStopsFollowing() {
        binder.close();
        registries.circuitBreakers().get("afterClose");

        assertThat(meters.getMeters()).isEmpty();
    }
}

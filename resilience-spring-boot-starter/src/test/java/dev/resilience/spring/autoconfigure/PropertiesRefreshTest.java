package dev.resilience.spring.autoconfigure;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.core.ManualClock;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.spring.ResilienceRegistries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.MapPropertySource;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Changed {@code resilience.*} properties reach the running instances on Spring Cloud's {@link EnvironmentChangeEvent}
 * (what a refresh publishes), in place.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = PropertiesRefreshTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
                "resilience.ratelimiter.instances.search.limit-for-period=10",
                "resilience.ratelimiter.instances.search.limit-refresh-period=1h",
                "resilience.bulkhead.instances.orders.max-concurrent-calls=4",
                "resilience.circuitbreaker.instances.inventory.sliding-window-size=10",
                "resilience.circuitbreaker.instances.inventory.minimum-number-of-calls=10",
                "resilience.thread-pool-bulkhead.instances.reports.core-thread-pool-size=1",
                "resilience.thread-pool-bulkhead.instances.reports.max-thread-pool-size=1",
                "resilience.thread-pool-bulkhead.instances.reports.queue-capacity=1"
        })
class PropertiesRefreshTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        ManualClock resilienceClock() {
            return new ManualClock();
        }
    }

    @Autowired
    ConfigurableApplicationContext context;

    @Autowired
    ResilienceRegistries registries;

    private final Map<String, Object> changed = new HashMap<>();

    /** Changes properties the way a refresh does: the environment first, then the event naming the keys. */
    private void refresh(Map<String, Object> properties) {
        context.getEnvironment().getPropertySources().remove("changed");
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("changed", changed));
        changed.putAll(properties);
        context.publishEvent(new EnvironmentChangeEvent(context, Set.copyOf(properties.keySet())));
    }

    @AfterEach
    void changeBack() {
        Set<String> keys = Set.copyOf(changed.keySet());
        changed.clear();
        context.publishEvent(new EnvironmentChangeEvent(context, keys));
    }

    private RateLimiter search() {
        return registries.rateLimiters().find("search").orElseThrow();
    }

    @Test
    void aChangedPropertyReconfiguresTheInstanceInPlace(CapturedOutput output) {
        assertThat(search().acquirePermission()).isTrue();

        refresh(Map.of("resilience.ratelimiter.instances.search.limit-for-period", "40",
                "resilience.bulkhead.instances.orders.max-concurrent-calls", "8"));

        assertThat(search().config().limitForPeriod()).isEqualTo(40);
        assertThat(search().metrics().availablePermissions()).isEqualTo(9); // the period under way goes on
        Bulkhead orders = registries.bulkheads().find("orders").orElseThrow();
        assertThat(orders.metrics().maxConcurrentCalls()).isEqualTo(8);
        assertThat(output.getOut()).contains("Reconfigured ratelimiter 'search': limitForPeriod 10 -> 40")
                .contains("Reconfigured bulkhead 'orders': maxConcurrentCalls 4 -> 8");
    }

    @Test
    void aBreakerKeepsItsStateAndWindowWhenItsPropertiesChange() {
        CircuitBreaker inventory = registries.circuitBreakers().find("inventory").orElseThrow();
        inventory.transitionToOpenState();

        refresh(Map.of("resilience.circuitbreaker.instances.inventory.wait-duration-in-open-state", "5s",
                "resilience.circuitbreaker.instances.inventory.sliding-window-size", "20"));

        assertThat(inventory.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(inventory.config().slidingWindowSize()).isEqualTo(20);
        inventory.reset();
    }

    @Test
    void anInvalidChangeIsRefusedWholeWithTheStartupMessageAndNothingChanges(CapturedOutput output) {
        refresh(Map.of("resilience.bulkhead.instances.orders.max-concurrent-calls", "2",
                "resilience.ratelimiter.instances.search.limit-for-period", "0"));

        assertThat(search().config().limitForPeriod()).isEqualTo(10);
        assertThat(registries.bulkheads().find("orders").orElseThrow().config().maxConcurrentCalls()).isEqualTo(4);
        assertThat(output.getOut()).contains("ERROR").contains("Refused the changed resilience.* properties")
                .contains("resilience.ratelimiter.instances.search.limit-for-period");
    }

    @Test
    void aSettingThatCannotChangeAtRunTimeIsRefusedWhole(CapturedOutput output) {
        refresh(Map.of("resilience.ratelimiter.instances.search.limit-refresh-period", "1m",
                "resilience.ratelimiter.instances.search.limit-for-period", "30",
                "resilience.bulkhead.instances.orders.max-concurrent-calls", "2"));

        assertThat(search().config().limitForPeriod()).isEqualTo(10);
        // the bulkhead's change was valid, but the change is refused whole
        assertThat(registries.bulkheads().find("orders").orElseThrow().config().maxConcurrentCalls()).isEqualTo(4);
        assertThat(output.getOut()).contains("resilience.ratelimiter.instances.search.limit-refresh-period")
                .contains("cannot change at run time");
    }

    private ThreadPoolBulkhead reports() {
        return registries.threadPoolBulkheads().find("reports").orElseThrow();
    }

    @Test
    void aThreadPoolBulkheadTakesItsNewSizesInPlace(CapturedOutput output) {
        ThreadPoolBulkhead before = reports();

        refresh(Map.of("resilience.thread-pool-bulkhead.instances.reports.max-thread-pool-size", "3",
                "resilience.thread-pool-bulkhead.instances.reports.queue-capacity", "4"));

        assertThat(reports()).isSameAs(before);
        assertThat(reports().metrics().maxThreadPoolSize()).isEqualTo(3);
        assertThat(reports().metrics().queueCapacity()).isEqualTo(4);
        assertThat(reports().metrics().remainingQueueCapacity()).isEqualTo(4);
        assertThat(output.getOut())
                .contains("Reconfigured thread-pool-bulkhead 'reports': maxThreadPoolSize 1 -> 3, queueCapacity 1 -> 4");
    }

    @Test
    void aChangeOfAThreadPoolBulkheadsVirtualThreadsIsRefusedWhole(CapturedOutput output) {
        // Refused on every Java: before 21 as invalid (as at start-up), from 21 on as not changeable at run time.
        refresh(Map.of("resilience.thread-pool-bulkhead.instances.reports.virtual-threads", "true",
                "resilience.thread-pool-bulkhead.instances.reports.queue-capacity", "5",
                "resilience.bulkhead.instances.orders.max-concurrent-calls", "2"));

        assertThat(reports().config().virtualThreads()).isFalse();
        assertThat(reports().config().queueCapacity()).isEqualTo(1);
        assertThat(registries.bulkheads().find("orders").orElseThrow().config().maxConcurrentCalls()).isEqualTo(4);
        assertThat(output.getOut()).contains("Refused the changed resilience.* properties")
                .contains("resilience.thread-pool-bulkhead.instances.reports.virtual-threads");
    }

    @Test
    void aChangeOfOtherPropertiesTouchesNoInstance(CapturedOutput output) {
        refresh(Map.of("some.other.property", "x"));

        assertThat(output.getOut()).doesNotContain("Reconfigured");
        assertThatThrownBy(() -> registries.circuitBreakers().find("inventory").orElseThrow().call(() -> {
            throw new IOException("still works");
        })).isInstanceOf(IOException.class);
    }
}

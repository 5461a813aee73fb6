package dev.resilience.test.junit;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.ManualClock;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.test.RecordedEvents;
import dev.resilience.test.TestRegistries;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import java.io.IOException;
import java.time.Duration;

import static dev.resilience.test.ResilienceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Every test starts from a new clock at time 0, empty registries and no recorded event, whatever the test before did. */
class FreshPerTestTest {

    @Test
    void theSecondTestOfAClassFindsANewClockEmptyRegistriesAndNoEvents() {
        EngineExecutionResults results = KitRun.run(UsesEverythingThenLooks.class);

        assertThat(KitRun.failures(results)).isEmpty();
        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
    }

    @Test
    void underAPerClassLifecycleTheFieldsGetNewObjectsForEachTest() {
        EngineExecutionResults results = KitRun.run(PerClassFields.class);

        assertThat(KitRun.failures(results)).isEmpty();
        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
    }

    /** Fails the breaker, empties a limiter and moves the clock; the second test must see none of it. */
    static void useEverything(ManualClock clock, TestRegistries registries) {
        CircuitBreaker breaker = registries.circuitBreakers().get("inventory", CircuitBreakerConfig.builder()
                .slidingWindowSize(2).minimumNumberOfCalls(2).build());
        for (int i = 0; i < 2; i++) {
            catchThrowable(() -> breaker.call(() -> {
                throw new IOException("down");
            }));
        }
        registries.rateLimiters().get("orders", RateLimiterConfig.builder().limitForPeriod(1)
                .timeoutDuration(Duration.ZERO).build()).acquirePermission();
        clock.advance(Duration.ofMinutes(5));
        assertThat(breaker).isOpen();
    }

    static void lookAtEverything(ManualClock clock, TestRegistries registries, RecordedEvents events) {
        assertThat(clock.nanoTime()).isZero();
        registries.all().forEach(registry -> assertThat(registry.size()).as(registry.kind()).isZero());
        assertThat(events).isEmpty();
        assertThat(registries.circuitBreakers().get("inventory")).isClosed().hasBufferedCalls(0);
    }

    @ResilienceCoreTest
    @EnabledIf("dev.resilience.test.junit.KitRun#requested")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class UsesEverythingThenLooks {

        @Test
        @Order(1)
        void usesEverything(ManualClock clock, TestRegistries registries, RecordedEvents events) {
            useEverything(clock, registries);
            assertThat(events.all()).isNotEmpty();
        }

        @Test
        @Order(2)
        void looks(ManualClock clock, TestRegistries registries, RecordedEvents events) {
            lookAtEverything(clock, registries, events);
        }
    }

    @ResilienceCoreTest
    @EnabledIf("dev.resilience.test.junit.KitRun#requested")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClassFields {

        @InjectResilience
        ManualClock clock;

        @InjectResilience
        TestRegistries registries;

        @InjectResilience
        RecordedEvents events;

        @Test
        @Order(1)
        void usesEverything() {
            useEverything(clock, registries);
        }

        @Test
        @Order(2)
        void looks() {
            lookAtEverything(clock, registries, events);
        }
    }
}

package dev.resilience.test.spring;

import dev.resilience.core.Clock;
import dev.resilience.core.ManualClock;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.actuate.ResilienceEventsBuffer;
import dev.resilience.test.RecordedEvents;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import java.time.Duration;

import static dev.resilience.circuitbreaker.CircuitBreaker.State.CLOSED;
import static dev.resilience.circuitbreaker.CircuitBreaker.State.HALF_OPEN;
import static dev.resilience.circuitbreaker.CircuitBreaker.State.OPEN;
import static dev.resilience.test.ResilienceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link ResilienceTest} on a {@code @SpringBootTest}: the first test leaves a breaker open, a limiter spent, retry
 * counters and events behind; the second finds all of it back at the start.
 */
@SpringBootTest(classes = KitTestApplication.class, properties = {
        "resilience.circuitbreaker.instances.inventory.sliding-window-size=2",
        "resilience.circuitbreaker.instances.inventory.minimum-number-of-calls=2",
        "resilience.circuitbreaker.instances.inventory.wait-duration-in-open-state=30s",
        "resilience.circuitbreaker.instances.inventory.permitted-number-of-calls-in-half-open-state=1",
        "resilience.ratelimiter.instances.orders.limit-for-period=1",
        "resilience.ratelimiter.instances.orders.limit-refresh-period=1h",
        "resilience.ratelimiter.instances.orders.timeout-duration=0",
        "management.endpoints.web.exposure.include=resilienceevents"})
@ResilienceTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResilienceTestIntegrationTest {

    @Autowired
    KitTestApplication.Downstream downstream;

    @Autowired
    ManualClock clock;

    @Autowired
    Clock policiesClock;

    @Autowired
    ResilienceRegistries registries;

    @Autowired
    RecordedEvents events;

    @Autowired
    ResilienceEventsBuffer eventsBuffer;

    @Test
    @Order(1)
    void theInjectedManualClockIsTheOnePoliciesReadSoAdvancingItEndsTheOpenState() {
        assertThat(policiesClock).isSameAs(clock);
        catchThrowable(downstream::failing);
        catchThrowable(downstream::failing);
        assertThat(registries.circuitBreakers().get("inventory")).isOpen();

        clock.advance(Duration.ofSeconds(30));
        assertThat(downstream.healthy()).isEqualTo("ok");

        assertThat(registries.circuitBreakers().get("inventory")).isClosed();
        assertThat(events).containsTransition("inventory", CLOSED, OPEN).containsTransition(OPEN, HALF_OPEN)
                .containsTransition(HALF_OPEN, CLOSED);
    }

    @Test
    @Order(2)
    void aTestLeavesABreakerOpenALimiterSpentAndCountersBehind() {
        catchThrowable(downstream::failing);
        catchThrowable(downstream::failing);
        downstream.order();
        downstream.shipping();

        assertThat(registries.circuitBreakers().get("inventory")).isOpen();
        assertThatThrownBy(downstream::order).isInstanceOf(RequestNotPermittedException.class);
        assertThat(registries.retries().get("shipping")).hasSuccessfulCallsWithoutRetry(1);
        assertThat(eventsBuffer.events(null, null)).isNotEmpty();
    }

    @Test
    @Order(3)
    void theNextTestStartsWithEverythingReset() {
        assertThat(registries.circuitBreakers().get("inventory")).isClosed().hasBufferedCalls(0).hasNotPermittedCalls(0);
        assertThat(registries.rateLimiters().get("orders")).hasAvailablePermissions(1);
        assertThat(registries.retries().get("shipping")).hasSuccessfulCallsWithoutRetry(0);
        assertThat(events).isEmpty();
        assertThat(eventsBuffer.events(null, null)).isEmpty();
        assertThat(downstream.order()).isEqualTo("ordered");
    }
}

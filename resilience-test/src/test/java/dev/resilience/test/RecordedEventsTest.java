package dev.resilience.test;

import dev.resilience.Policy;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.ManualClock;
import dev.resilience.core.Registry;
import dev.resilience.core.ResilienceEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecordedEventsTest {

    private final ManualClock clock = new ManualClock();
    private final Registry<CircuitBreaker, CircuitBreakerConfig> breakers = Registry.builder(CircuitBreaker.KIND,
            (String n, CircuitBreakerConfig c) -> CircuitBreaker.of(n, c, clock), CircuitBreakerConfig.defaults()).build();
    private final List<Registry<? extends Policy, ?>> registries = List.of(breakers);

    @Test
    void followsInstancesPresentAndCreatedLaterOncePerInstance() {
        CircuitBreaker before = breakers.get("before");
        try (RecordedEvents events = RecordedEvents.ofRegistries(registries)) {
            CircuitBreaker later = breakers.get("later");

            before.call(() -> "ok");
            later.call(() -> "ok");

            assertThat(events.all()).extracting(ResilienceEvent::name).containsExactly("before", "later");
            assertThat(events.of("circuitbreaker", "later")).extracting(ResilienceEvent::type).containsExactly("SUCCESS");
        }
    }

    @Test
    void clearForgetsAndKeepsListening() {
        CircuitBreaker breaker = breakers.get("inventory");
        try (RecordedEvents events = RecordedEvents.of(breaker)) {
            breaker.call(() -> "ok");

            events.clear();
            breaker.transitionToOpenState();

            assertThat(events.transitions()).containsExactly(
                    new RecordedEvents.Transition("inventory", CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN));
        }
    }

    @Test
    void closeStopsRecording() {
        CircuitBreaker breaker = breakers.get("inventory");
        RecordedEvents events = RecordedEvents.ofRegistries(registries);

        events.close();
        breaker.call(() -> "ok");
        breakers.get("created-after-close").call(() -> "ok");

        assertThat(events.all()).isEmpty();
    }
}

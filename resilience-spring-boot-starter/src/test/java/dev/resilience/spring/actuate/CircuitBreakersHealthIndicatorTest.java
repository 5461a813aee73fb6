package dev.resilience.spring.actuate;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.Registry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitBreakersHealthIndicatorTest {

    private final Registry<CircuitBreaker, CircuitBreakerConfig> registry =
            Registry.builder(CircuitBreaker.KIND, CircuitBreaker::of, CircuitBreakerConfig.defaults()).build();
    private final CircuitBreakersHealthIndicator indicator =
            new CircuitBreakersHealthIndicator(registry, name -> name.equals("critical"));

    @Test
    void allClosedIsUpWithEachStateInTheDetails() {
        registry.get("inventory");
        registry.get("critical");

        Health health = indicator.health(true);

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsOnlyKeys("critical", "inventory");
        @SuppressWarnings("unchecked")
        Map<String, Object> inventory = (Map<String, Object>) health.getDetails().get("inventory");
        assertThat(inventory).containsEntry("state", "CLOSED").containsEntry("failureRate", -1f);
    }

    @Test
    void anOpenBreakerIsCircuitOpenNotDown() {
        registry.get("inventory").transitionToOpenState();

        assertThat(indicator.health(true).getStatus()).isEqualTo(CircuitBreakersHealthIndicator.CIRCUIT_OPEN);
    }

    @Test
    void aForcedOpenBreakerIsCircuitOpen() {
        registry.get("inventory").transitionToForcedOpenState();

        assertThat(indicator.health(true).getStatus()).isEqualTo(CircuitBreakersHealthIndicator.CIRCUIT_OPEN);
    }

    @Test
    void aHalfOpenBreakerIsCircuitHalfOpen() {
        registry.get("inventory").transitionToHalfOpenState();

        assertThat(indicator.health(true).getStatus()).isEqualTo(CircuitBreakersHealthIndicator.CIRCUIT_HALF_OPEN);
    }

    @Test
    void openWinsOverHalfOpen() {
        registry.get("inventory").transitionToHalfOpenState();
        registry.get("payments").transitionToOpenState();

        assertThat(indicator.health(true).getStatus()).isEqualTo(CircuitBreakersHealthIndicator.CIRCUIT_OPEN);
    }

    @Test
    void anOpenBreakerAllowedToFailIsDownAndWinsOverTheOthers() {
        registry.get("inventory").transitionToOpenState();
        registry.get("critical").transitionToOpenState();

        assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void aHalfOpenBreakerAllowedToFailIsNotDown() {
        registry.get("critical").transitionToHalfOpenState();

        assertThat(indicator.health(true).getStatus()).isEqualTo(CircuitBreakersHealthIndicator.CIRCUIT_HALF_OPEN);
    }
}

package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.ResilienceRegistries;

import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The growing open-state wait's two properties: bound, inherited, and validated with the full property named. */
class CircuitBreakerOpenWaitPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

    private static FailureAnalysis analyze(String... properties) {
        return StartupFailureAnalyses.analyze(properties);
    }

    @Test
    void bindsTheMultiplierAndTheMaximumFromABaseConfig() {
        runner.withPropertyValues(
                        "resilience.circuitbreaker.configs.growing.wait-duration-in-open-state=10s",
                        "resilience.circuitbreaker.configs.growing.wait-duration-in-open-state-multiplier=2.5",
                        "resilience.circuitbreaker.configs.growing.max-wait-duration-in-open-state=5m",
                        "resilience.circuitbreaker.instances.inventory.base-config=growing")
                .run(context -> {
                    CircuitBreakerConfig config = context.getBean(ResilienceRegistries.class).circuitBreakers()
                            .get("inventory").config();
                    assertThat(config.waitDurationInOpenStateMultiplier()).isEqualTo(2.5);
                    assertThat(config.maxWaitDurationInOpenState()).contains(Duration.ofMinutes(5));
                });
    }

    @Test
    void unsetTheWaitDoesNotGrow() {
        runner.run(context -> {
            CircuitBreakerConfig config = context.getBean(ResilienceRegistries.class).circuitBreakers()
                    .get("plain").config();
            assertThat(config.waitDurationInOpenStateMultiplier()).isEqualTo(1.0);
            assertThat(config.maxWaitDurationInOpenState()).isEmpty();
        });
    }

    @Test
    void aMultiplierBelowOneFailsStartUpNamingTheProperty() {
        FailureAnalysis analysis = analyze(
                "resilience.circuitbreaker.instances.inventory.wait-duration-in-open-state-multiplier=0.5");
        assertThat(analysis.getDescription())
                .contains("resilience.circuitbreaker.instances.inventory.wait-duration-in-open-state-multiplier")
                .contains("0.5").contains("at least 1");
    }

    @Test
    void aMaximumShorterThanTheWaitFailsStartUpNamingTheProperty() {
        FailureAnalysis analysis = analyze(
                "resilience.circuitbreaker.configs.default.wait-duration-in-open-state=30s",
                "resilience.circuitbreaker.instances.inventory.max-wait-duration-in-open-state=10s");
        assertThat(analysis.getDescription()).isEqualTo("Invalid value '10s' for property "
                + "'resilience.circuitbreaker.instances.inventory.max-wait-duration-in-open-state': it must be at least "
                + "'resilience.circuitbreaker.configs.default.wait-duration-in-open-state' (30s).");
    }

    @Test
    void aMaximumShorterThanTheBuiltInWaitNamesThatDefault() {
        FailureAnalysis analysis = analyze("resilience.circuitbreaker.instances.inventory.max-wait-duration-in-open-state=10s");
        assertThat(analysis.getDescription()).isEqualTo("Invalid value '10s' for property "
                + "'resilience.circuitbreaker.instances.inventory.max-wait-duration-in-open-state': it must be at least "
                + "the built-in wait-duration-in-open-state of resilience.circuitbreaker.instances.inventory (1m).");
    }

    @Test
    void aZeroMaximumFailsStartUpNamingTheProperty() {
        assertThat(analyze("resilience.circuitbreaker.instances.inventory.max-wait-duration-in-open-state=0s")
                .getDescription())
                .contains("resilience.circuitbreaker.instances.inventory.max-wait-duration-in-open-state")
                .contains("positive");
    }
}

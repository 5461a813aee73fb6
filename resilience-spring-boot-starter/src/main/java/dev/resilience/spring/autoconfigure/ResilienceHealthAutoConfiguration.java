package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.actuate.CircuitBreakersHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The {@code circuitBreakers} health contributor, when Spring Boot's health support is present and
 * {@code management.health.circuitbreakers.enabled} is not false.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(ResilienceRegistries.class)
@ConditionalOnEnabledHealthIndicator("circuitbreakers")
public final class ResilienceHealthAutoConfiguration {

    /** Named so that the contributor's id is {@code circuitBreakers}. */
    @Bean(name = "circuitBreakersHealthIndicator")
    @ConditionalOnMissingBean(name = "circuitBreakersHealthIndicator")
    CircuitBreakersHealthIndicator circuitBreakersHealthIndicator(ResilienceRegistries registries,
                                                                  ResilienceProperties properties) {
        KindProperties<CircuitBreakerProperties> breakers = properties.getCircuitbreaker();
        Predicate<String> allowedToFail = name -> allowedToFail(breakers, breakers.getInstances().get(name));
        return new CircuitBreakersHealthIndicator(registries.circuitBreakers(), allowedToFail);
    }

    /**
     * Resolves {@code allow-health-indicator-to-fail} like every other setting: the instance, its
     * {@code base-config} chain, {@code configs.default}, else false.
     */
    static boolean allowedToFail(KindProperties<CircuitBreakerProperties> breakers, CircuitBreakerProperties instance) {
        Map<String, CircuitBreakerProperties> configs = breakers.getConfigs();
        Set<String> seen = new HashSet<>();
        CircuitBreakerProperties current = instance;
        while (current != null) {
            if (current.getAllowHealthIndicatorToFail() != null) {
                return current.getAllowHealthIndicatorToFail();
            }
            String base = current.getBaseConfig();
            // A cycle or unknown base-config already fails start-up elsewhere; here it just ends the chain.
            current = base != null && seen.add(base) ? configs.get(base) : null;
        }
        CircuitBreakerProperties defaults = configs.get("default");
        return defaults != null && Boolean.TRUE.equals(defaults.getAllowHealthIndicatorToFail());
    }
}

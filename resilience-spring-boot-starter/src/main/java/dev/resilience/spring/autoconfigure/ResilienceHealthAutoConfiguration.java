package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.ResilienceRegistries;

import dev.resilience.spring.actuate.CircuitBreakersHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

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
        SettingsResolver.Sources<CircuitBreakerProperties> sources =
                new SettingsResolver.Sources<>("circuitbreaker", properties.getCircuitbreaker());
        // Resolved like every other setting (the instance, its base-config chain, configs.default and its chain),
        // by the same code; false when nothing sets it.
        Predicate<String> allowedToFail = name ->
                sources.first(name, CircuitBreakerProperties::getAllowHealthIndicatorToFail).orElse(false);
        return new CircuitBreakersHealthIndicator(registries.circuitBreakers(), allowedToFail);
    }
}

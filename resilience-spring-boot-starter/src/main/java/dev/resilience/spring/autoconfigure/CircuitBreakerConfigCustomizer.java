package dev.resilience.spring.autoconfigure;

import dev.resilience.circuitbreaker.CircuitBreakerConfig;

/**
 * Adjusts the config of CircuitBreaker instances in code, after properties have been applied. Every bean of
 * this type is called for every instance as it is created.
 */
@FunctionalInterface
public interface CircuitBreakerConfigCustomizer {

    /**
     * @param instanceName the instance being created
     * @param builder its config so far, to change
     */
    void customize(String instanceName, CircuitBreakerConfig.Builder builder);
}

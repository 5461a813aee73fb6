package dev.resilience.spring.autoconfigure;

import dev.resilience.timeout.TimeoutConfig;

/**
 * Adjusts the config of Timeout instances in code, after properties have been applied. Every bean of
 * this type is called for every instance as it is created.
 */
@FunctionalInterface
public interface TimeoutConfigCustomizer {

    /**
     * @param instanceName the instance being created
     * @param builder its config so far, to change
     */
    void customize(String instanceName, TimeoutConfig.Builder builder);
}

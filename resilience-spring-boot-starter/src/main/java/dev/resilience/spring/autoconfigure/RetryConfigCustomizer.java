package dev.resilience.spring.autoconfigure;

import dev.resilience.retry.RetryConfig;

/**
 * Adjusts the config of Retry instances in code, after properties have been applied. Every bean of
 * this type is called for every instance as it is created.
 */
@FunctionalInterface
public interface RetryConfigCustomizer {

    /**
     * @param instanceName the instance being created
     * @param builder its config so far, to change
     */
    void customize(String instanceName, RetryConfig.Builder builder);
}

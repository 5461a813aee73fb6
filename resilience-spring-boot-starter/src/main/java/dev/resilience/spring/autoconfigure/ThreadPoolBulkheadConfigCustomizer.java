package dev.resilience.spring.autoconfigure;

import dev.resilience.bulkhead.ThreadPoolBulkheadConfig;

/**
 * Adjusts the config of ThreadPoolBulkhead instances in code, after properties have been applied. Every bean of
 * this type is called for every instance as it is created.
 */
@FunctionalInterface
public interface ThreadPoolBulkheadConfigCustomizer {

    /**
     * @param instanceName the instance being created
     * @param builder its config so far, to change
     */
    void customize(String instanceName, ThreadPoolBulkheadConfig.Builder builder);
}

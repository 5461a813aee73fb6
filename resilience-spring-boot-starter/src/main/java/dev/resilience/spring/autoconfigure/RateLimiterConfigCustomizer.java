package dev.resilience.spring.autoconfigure;

import dev.resilience.ratelimiter.RateLimiterConfig;

/**
 * Adjusts the config of RateLimiter instances in code, after properties have been applied. Every bean of
 * this type is called for every instance as it is created.
 */
@FunctionalInterface
public interface RateLimiterConfigCustomizer {

    /**
     * @param instanceName the instance being created
     * @param builder its config so far, to change
     */
    void customize(String instanceName, RateLimiterConfig.Builder builder);
}

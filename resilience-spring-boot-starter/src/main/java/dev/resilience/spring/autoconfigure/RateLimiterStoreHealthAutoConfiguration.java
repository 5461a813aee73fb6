package dev.resilience.spring.autoconfigure;

import dev.resilience.spi.RateLimiterStore;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.actuate.RateLimiterStoresHealthIndicator;
import dev.resilience.spring.keyed.KeyedInstances;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code rateLimiterStores} health contributor, when Spring Boot's health support is present, the application has
 * a shared store for rate limiters (e.g. Redis) and {@code management.health.ratelimiterstores.enabled} is not false.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class,
        afterName = "dev.resilience.spring.redis.ResilienceRedisAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean({ResilienceRegistries.class, RateLimiterStore.class})
@ConditionalOnEnabledHealthIndicator("ratelimiterstores")
public final class RateLimiterStoreHealthAutoConfiguration {

    /** Named so that the contributor's id is {@code rateLimiterStores}. */
    @Bean(name = "rateLimiterStoresHealthIndicator")
    @ConditionalOnMissingBean(name = "rateLimiterStoresHealthIndicator")
    RateLimiterStoresHealthIndicator rateLimiterStoresHealthIndicator(ResilienceRegistries registries,
                                                                      ObjectProvider<KeyedInstances> keyed) {
        return new RateLimiterStoresHealthIndicator(registries.rateLimiters(), keyed.getIfAvailable());
    }
}

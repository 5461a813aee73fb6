package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.keyed.KeyedInstances;
import org.springframework.beans.factory.ObjectProvider;

import dev.resilience.spring.ResilienceRegistries;

import dev.resilience.spring.actuate.ResilienceMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters {@code resilience.<kind>.*} for every policy instance, when Micrometer is present, or Resilience4j's
 * {@code resilience4j.<kind>.*} with {@code resilience.metrics.naming=resilience4j}. Spring Boot binds the
 * {@link ResilienceMeterBinder} to the application's meter registries.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(ResilienceRegistries.class)
public final class ResilienceMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ResilienceMeterBinder resilienceMeterBinder(ResilienceRegistries registries, ResilienceProperties properties,
                                                ObjectProvider<KeyedInstances> keyed) {
        return new ResilienceMeterBinder(registries, properties.getMetrics().getNaming(), keyed.getIfAvailable());
    }
}

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
 * Micrometer meters {@code resilience.<kind>.*} for every policy instance, when Micrometer is present. Spring
 * Boot binds the {@link ResilienceMeterBinder} to the application's meter registries.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(ResilienceRegistries.class)
public final class ResilienceMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ResilienceMeterBinder resilienceMeterBinder(ResilienceRegistries registries, ObjectProvider<KeyedInstances> keyed) {
        return new ResilienceMeterBinder(registries, keyed.getIfAvailable());
    }
}

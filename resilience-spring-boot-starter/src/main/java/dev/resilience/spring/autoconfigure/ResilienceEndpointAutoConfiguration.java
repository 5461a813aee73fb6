package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.ResilienceRegistries;

import dev.resilience.spring.actuate.BulkheadsEndpoint;
import dev.resilience.spring.actuate.CircuitBreakersEndpoint;
import dev.resilience.spring.actuate.RateLimitersEndpoint;
import dev.resilience.spring.actuate.SettingsChanges;
import org.springframework.beans.factory.ObjectProvider;
import dev.resilience.spring.actuate.ResilienceEventsBuffer;
import dev.resilience.spring.actuate.ResilienceEventsEndpoint;
import dev.resilience.spring.actuate.RetriesEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The actuator endpoints {@code circuitbreakers}, {@code retries}, {@code bulkheads}, {@code ratelimiters} and
 * {@code resilienceevents}, each only when actuator is present and the endpoint is available (accessible and
 * exposed). The events buffer exists only with its endpoint, so nobody pays for events nobody reads.
 */
@AutoConfiguration(after = {ResilienceAutoConfiguration.class, ResilienceReconfigurationAutoConfiguration.class})
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(ResilienceRegistries.class)
public final class ResilienceEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = CircuitBreakersEndpoint.class)
    CircuitBreakersEndpoint circuitBreakersEndpoint(ResilienceRegistries registries, ObjectProvider<SettingsChanges> changes) {
        return new CircuitBreakersEndpoint(registries.circuitBreakers(), changes.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = RetriesEndpoint.class)
    RetriesEndpoint retriesEndpoint(ResilienceRegistries registries, ObjectProvider<SettingsChanges> changes) {
        return new RetriesEndpoint(registries.retries(), changes.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = BulkheadsEndpoint.class)
    BulkheadsEndpoint bulkheadsEndpoint(ResilienceRegistries registries, ObjectProvider<SettingsChanges> changes) {
        return new BulkheadsEndpoint(registries.bulkheads(), registries.threadPoolBulkheads(), changes.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = RateLimitersEndpoint.class)
    RateLimitersEndpoint rateLimitersEndpoint(ResilienceRegistries registries, ObjectProvider<SettingsChanges> changes) {
        return new RateLimitersEndpoint(registries.rateLimiters(), changes.getIfAvailable());
    }

    /** Sized by {@code resilience.events.buffer-size}, which {@link ResilienceProperties} has checked when bound. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = ResilienceEventsEndpoint.class)
    ResilienceEventsBuffer resilienceEventsBuffer(ResilienceRegistries registries, ResilienceProperties properties) {
        return new ResilienceEventsBuffer(registries, properties.getEvents().getBufferSize());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = ResilienceEventsEndpoint.class)
    ResilienceEventsEndpoint resilienceEventsEndpoint(ResilienceEventsBuffer buffer) {
        return new ResilienceEventsEndpoint(buffer);
    }
}

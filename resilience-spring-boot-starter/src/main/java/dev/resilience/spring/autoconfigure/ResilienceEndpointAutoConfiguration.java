package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.keyed.KeyedInstances;
import org.springframework.beans.factory.ObjectProvider;

import dev.resilience.spring.ResilienceRegistries;

import dev.resilience.spring.actuate.BulkheadsEndpoint;
import dev.resilience.spring.actuate.CircuitBreakersEndpoint;
import dev.resilience.spring.actuate.RateLimitersEndpoint;
import dev.resilience.spring.actuate.Resilience4jEndpoints;
import dev.resilience.spring.actuate.SettingsChanges;
import dev.resilience.spring.actuate.ResilienceEventsBuffer;
import dev.resilience.spring.actuate.ResilienceEventsEndpoint;
import dev.resilience.spring.actuate.RetriesEndpoint;
import dev.resilience.spring.actuate.TimeoutsEndpoint;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The actuator endpoints {@code circuitbreakers}, {@code retries}, {@code bulkheads}, {@code ratelimiters},
 * {@code timeouts} and {@code resilienceevents}, each only when actuator is present and the endpoint is available (accessible and
 * exposed). The events buffer exists only with its endpoint, so nobody pays for events nobody reads.
 *
 * <p>Where Resilience4j's Spring Boot starter registers an endpoint with the same id (an application moving over), ours
 * backs off, and {@link Resilience4jEndpoints} logs which did: Spring Boot allows one endpoint per id.
 */
@AutoConfiguration(after = {ResilienceAutoConfiguration.class, ResilienceReconfigurationAutoConfiguration.class}, afterName = {
        Resilience4jEndpoints.CIRCUIT_BREAKER_AUTO_CONFIGURATION, Resilience4jEndpoints.RETRY_AUTO_CONFIGURATION,
        Resilience4jEndpoints.BULKHEAD_AUTO_CONFIGURATION, Resilience4jEndpoints.RATE_LIMITER_AUTO_CONFIGURATION,
        Resilience4jEndpoints.CIRCUIT_BREAKER_AUTO_CONFIGURATION_BOOT3, Resilience4jEndpoints.RETRY_AUTO_CONFIGURATION_BOOT3,
        Resilience4jEndpoints.BULKHEAD_AUTO_CONFIGURATION_BOOT3, Resilience4jEndpoints.RATE_LIMITER_AUTO_CONFIGURATION_BOOT3})
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(ResilienceRegistries.class)
public final class ResilienceEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(value = CircuitBreakersEndpoint.class,
            type = {Resilience4jEndpoints.CIRCUIT_BREAKERS, Resilience4jEndpoints.CIRCUIT_BREAKERS_BOOT3})
    @ConditionalOnAvailableEndpoint(endpoint = CircuitBreakersEndpoint.class)
    CircuitBreakersEndpoint circuitBreakersEndpoint(ResilienceRegistries registries, ObjectProvider<SettingsChanges> changes) {
        return new CircuitBreakersEndpoint(registries.circuitBreakers(), changes.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean(value = RetriesEndpoint.class, type = {Resilience4jEndpoints.RETRIES, Resilience4jEndpoints.RETRIES_BOOT3})
    @ConditionalOnAvailableEndpoint(endpoint = RetriesEndpoint.class)
    RetriesEndpoint retriesEndpoint(ResilienceRegistries registries, ObjectProvider<SettingsChanges> changes) {
        return new RetriesEndpoint(registries.retries(), changes.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean(value = BulkheadsEndpoint.class, type = {Resilience4jEndpoints.BULKHEADS, Resilience4jEndpoints.BULKHEADS_BOOT3})
    @ConditionalOnAvailableEndpoint(endpoint = BulkheadsEndpoint.class)
    BulkheadsEndpoint bulkheadsEndpoint(ResilienceRegistries registries, ObjectProvider<KeyedInstances> keyed,
                                        ObjectProvider<SettingsChanges> changes) {
        return new BulkheadsEndpoint(registries.bulkheads(), registries.threadPoolBulkheads(), keyed.getIfAvailable(),
                changes.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean(value = RateLimitersEndpoint.class,
            type = {Resilience4jEndpoints.RATE_LIMITERS, Resilience4jEndpoints.RATE_LIMITERS_BOOT3})
    @ConditionalOnAvailableEndpoint(endpoint = RateLimitersEndpoint.class)
    RateLimitersEndpoint rateLimitersEndpoint(ResilienceRegistries registries, ObjectProvider<KeyedInstances> keyed,
                                              ObjectProvider<SettingsChanges> changes) {
        return new RateLimitersEndpoint(registries.rateLimiters(), keyed.getIfAvailable(), changes.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = TimeoutsEndpoint.class)
    TimeoutsEndpoint timeoutsEndpoint(ResilienceRegistries registries, ObjectProvider<SettingsChanges> changes) {
        return new TimeoutsEndpoint(registries.timeouts(), changes.getIfAvailable());
    }

    /** Sized by {@code resilience.events.buffer-size}, which {@link ResilienceProperties} has checked when bound. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = ResilienceEventsEndpoint.class)
    ResilienceEventsBuffer resilienceEventsBuffer(ResilienceRegistries registries, ResilienceProperties properties,
                                                  ObjectProvider<KeyedInstances> keyed) {
        return new ResilienceEventsBuffer(registries, properties.getEvents().getBufferSize(), keyed.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = ResilienceEventsEndpoint.class)
    ResilienceEventsEndpoint resilienceEventsEndpoint(ResilienceEventsBuffer buffer) {
        return new ResilienceEventsEndpoint(buffer);
    }

    /** Says, once started, which of ours backed off for Resilience4j's endpoints (nothing when there are none). */
    @Bean
    @ConditionalOnMissingBean
    Resilience4jEndpoints resilience4jEndpoints(ListableBeanFactory beans) {
        return new Resilience4jEndpoints(beans);
    }
}

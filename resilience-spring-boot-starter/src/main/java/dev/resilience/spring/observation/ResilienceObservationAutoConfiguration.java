package dev.resilience.spring.observation;

import dev.resilience.spring.interceptor.MethodObservationSupport;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer observations of annotated methods ({@link ObservedInvokers}), when the application has an
 * {@link ObservationRegistry} bean (Spring Boot's actuator makes one). Without one, methods are not wrapped at all.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
public final class ResilienceObservationAutoConfiguration {

    /**
     * Created with the method resolver, when the first annotated bean is proxied: by then every post-processor that
     * configures the registry (Spring Boot's handlers, tracing) is in place.
     */
    @Bean
    @ConditionalOnMissingBean
    MethodObservationSupport resilienceMethodObservationSupport(ObservationRegistry registry) {
        return new ObservedInvokers(registry);
    }
}

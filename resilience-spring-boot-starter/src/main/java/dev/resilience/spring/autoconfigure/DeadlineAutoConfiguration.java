package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.ResilienceConfigurationException;

import dev.resilience.core.Clock;
import dev.resilience.spring.deadline.DeadlineClientInterceptor;
import dev.resilience.spring.deadline.DeadlineHeader;
import dev.resilience.spring.deadline.DeadlineServletFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Deadlines across services ({@code resilience.deadline.*}, on unless {@code resilience.deadline.enabled=false}):
 * every {@code RestClient} built from Spring Boot's builder sends the remaining time of the current deadline in a
 * header, and a servlet web application turns that header on incoming requests into the request's deadline.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "resilience.deadline.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ResilienceProperties.class)
public final class DeadlineAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DeadlineHeader resilienceDeadlineHeader(ResilienceProperties properties) {
        String name = properties.getDeadline().getHeaderName();
        if (name == null || name.isBlank()) {
            throw ResilienceConfigurationException.invalidProperty("resilience.deadline.header-name", name, "a non-blank HTTP header name");
        }
        return new DeadlineHeader(name.trim());
    }

    /** The client side: sends the header with RestClient requests. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({RestClient.class, RestClientCustomizer.class})
    static final class Client {

        @Bean
        @ConditionalOnMissingBean
        DeadlineClientInterceptor resilienceDeadlineClientInterceptor(DeadlineHeader header) {
            return new DeadlineClientInterceptor(header);
        }

        @Bean
        RestClientCustomizer resilienceDeadlineRestClientCustomizer(DeadlineClientInterceptor interceptor) {
            return builder -> builder.requestInterceptor(interceptor);
        }
    }

    /** The server side: reads the header of incoming servlet requests. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(OncePerRequestFilter.class)
    static final class Server {

        @Bean
        @ConditionalOnMissingBean
        DeadlineServletFilter resilienceDeadlineServletFilter(DeadlineHeader header, ObjectProvider<Clock> clock) {
            // The policies' clock, so that request deadlines and timeouts measure the same time.
            return new DeadlineServletFilter(header, clock.getIfAvailable(Clock::system));
        }
    }
}

package dev.resilience.spring.cloud;

import dev.resilience.core.ShutdownGate;
import dev.resilience.reactor.ReactorResilience;
import dev.resilience.spring.ResilienceRegistries;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Spring Cloud CircuitBreaker over the starter's registries, with Spring Cloud Commons on the class path: a
 * {@link ResilienceCircuitBreakerFactory} and, with Reactor and {@code resilience-reactor}, a
 * {@link ResilienceReactiveCircuitBreakerFactory}, each customized by the application's
 * {@code Customizer<...Factory>} beans. Off with {@code spring.cloud.circuitbreaker.resilience.enabled=false}; each
 * backs off where the application (or another Spring Cloud CircuitBreaker implementation configured first) defines
 * its own factory.
 *
 * <p>Runs before Spring Cloud's own auto-configurations that look for a factory: the circuit breakers of HTTP service
 * groups ({@code CommonsClientAutoConfiguration}) and of OpenFeign clients ({@code FeignAutoConfiguration}).
 */
@AutoConfiguration(afterName = "dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration",
        beforeName = {"org.springframework.cloud.client.CommonsClientAutoConfiguration",
                "org.springframework.cloud.client.ReactiveCommonsClientAutoConfiguration",
                "org.springframework.cloud.openfeign.FeignAutoConfiguration"})
@ConditionalOnClass(CircuitBreakerFactory.class)
@ConditionalOnBooleanProperty(name = "spring.cloud.circuitbreaker.resilience.enabled", matchIfMissing = true)
@ConditionalOnBean({ResilienceRegistries.class, ShutdownGate.class})
@EnableConfigurationProperties(SpringCloudCircuitBreakerProperties.class)
public final class ResilienceSpringCloudAutoConfiguration {

    /** {@code resilience.order}'s default, outermost first. */
    private static final List<String> DEFAULT_ORDER = List.of("retry", "circuitbreaker", "ratelimiter", "timeout", "bulkhead");

    static CloudPolicies policies(ResilienceRegistries registries, SpringCloudCircuitBreakerProperties properties,
                                  Environment environment) {
        // The annotations' composition order, bound here so that this feature needs nothing from the autoconfigure package.
        List<String> order = Binder.get(environment).bind("resilience.order", Bindable.listOf(String.class)).orElse(DEFAULT_ORDER);
        return new CloudPolicies(registries, properties, order);
    }

    @Bean
    @ConditionalOnMissingBean(CircuitBreakerFactory.class)
    ResilienceCircuitBreakerFactory resilienceCircuitBreakerFactory(ResilienceRegistries registries, ShutdownGate gate,
                                                                    SpringCloudCircuitBreakerProperties properties,
                                                                    Environment environment,
                                                                    ObjectProvider<Customizer<ResilienceCircuitBreakerFactory>> customizers) {
        ResilienceCircuitBreakerFactory factory = new ResilienceCircuitBreakerFactory(policies(registries, properties, environment), gate);
        customizers.orderedStream().forEach(customizer -> customizer.customize(factory));
        return factory;
    }

    /** The reactive factory, with Reactor and the starter's Reactor operators. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ReactiveCircuitBreakerFactory.class, Mono.class, ReactorResilience.class})
    static final class Reactive {

        @Bean
        @ConditionalOnMissingBean(ReactiveCircuitBreakerFactory.class)
        ResilienceReactiveCircuitBreakerFactory resilienceReactiveCircuitBreakerFactory(
                ResilienceRegistries registries, ShutdownGate gate, SpringCloudCircuitBreakerProperties properties,
                Environment environment, ObjectProvider<Customizer<ResilienceReactiveCircuitBreakerFactory>> customizers) {
            ResilienceReactiveCircuitBreakerFactory factory =
                    new ResilienceReactiveCircuitBreakerFactory(policies(registries, properties, environment), gate);
            customizers.orderedStream().forEach(customizer -> customizer.customize(factory));
            return factory;
        }
    }
}

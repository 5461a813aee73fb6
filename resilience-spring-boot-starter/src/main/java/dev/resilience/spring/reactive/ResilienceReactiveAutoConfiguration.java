package dev.resilience.spring.reactive;

import dev.resilience.core.Clock;
import dev.resilience.reactor.ReactorResilience;
import dev.resilience.spring.deadline.DeadlineHeader;
import dev.resilience.spring.interceptor.ReactiveMethodSupport;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Reactive support, with Project Reactor and {@code resilience-reactor} on the class path:
 * <ul>
 *   <li>annotated methods returning {@code Mono}, {@code Flux} or another reactive type are protected per
 *   subscription ({@link ReactorMethodSupport});</li>
 *   <li>in a reactive (WebFlux) web application (where rejections reaching a controller become problem details through
 *   the same advices as in a servlet one, see {@code ResilienceWebAutoConfiguration}), the deadline header of incoming
 *   requests becomes their deadline in the Reactor context ({@link DeadlineWebFilter});</li>
 *   <li>every {@code WebClient} built from Spring Boot's builder sends the remaining time of the current deadline
 *   ({@link DeadlineExchangeFilterFunction}).</li>
 * </ul>
 * The deadline parts follow {@code resilience.deadline.enabled} and use the header the deadline configuration
 * defines. Without Reactor none of this exists and annotated methods are handled as before.
 */
@AutoConfiguration(afterName = {"dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration",
        "dev.resilience.spring.autoconfigure.DeadlineAutoConfiguration"})
@ConditionalOnClass({Mono.class, ReactorResilience.class})
public final class ResilienceReactiveAutoConfiguration {

    /** Protects annotated methods returning reactive types per subscription. */
    @Bean
    @ConditionalOnMissingBean
    ReactiveMethodSupport resilienceReactiveMethodSupport() {
        return new ReactorMethodSupport();
    }

    /** The server side of deadlines in a WebFlux application. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(DispatcherHandler.class)
    @ConditionalOnBooleanProperty(name = "resilience.deadline.enabled", matchIfMissing = true)
    @ConditionalOnBean(DeadlineHeader.class)
    static final class WebFluxDeadline {

        @Bean
        @ConditionalOnMissingBean
        DeadlineWebFilter resilienceDeadlineWebFilter(DeadlineHeader header, ObjectProvider<Clock> clock) {
            // The policies' clock, so that request deadlines and timeouts measure the same time.
            return new DeadlineWebFilter(header, clock.getIfAvailable(Clock::system));
        }
    }

    /** The client side: WebClient requests carry the deadline header. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({WebClient.class, WebClientCustomizer.class})
    @ConditionalOnBooleanProperty(name = "resilience.deadline.enabled", matchIfMissing = true)
    @ConditionalOnBean(DeadlineHeader.class)
    static final class WebClientDeadline {

        @Bean
        @ConditionalOnMissingBean
        DeadlineExchangeFilterFunction resilienceDeadlineExchangeFilterFunction(DeadlineHeader header) {
            return new DeadlineExchangeFilterFunction(header);
        }

        @Bean
        WebClientCustomizer resilienceDeadlineWebClientCustomizer(DeadlineExchangeFilterFunction filter) {
            return builder -> builder.filter(filter);
        }
    }
}

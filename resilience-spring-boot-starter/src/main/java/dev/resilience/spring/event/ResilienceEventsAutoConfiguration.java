package dev.resilience.spring.event;

import dev.resilience.spring.ResilienceRegistries;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;

import java.util.ArrayList;
import java.util.List;

/**
 * Events as beans: the {@link ResilienceEventListener} beans receive the events of every policy instance, and with
 * {@code resilience.events.publish-application-events=true} circuit breaker state transitions are published as
 * {@link CircuitBreakerStateTransitionEvent}s. Without either, nothing is subscribed to.
 */
@AutoConfiguration(afterName = "dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration")
@ConditionalOnBean(ResilienceRegistries.class)
public final class ResilienceEventsAutoConfiguration {

    /** The property switching application events on. */
    static final String PUBLISH_APPLICATION_EVENTS = "resilience.events.publish-application-events";

    /** Eager even under lazy initialization: the listeners must hear every instance from the end of start-up. */
    @Bean
    @Lazy(false)
    @ConditionalOnMissingBean
    ResilienceEventDispatcher resilienceEventDispatcher(ResilienceRegistries registries, ConfigurableListableBeanFactory beanFactory,
                                                        ApplicationEventPublisher publisher, Environment environment) {
        boolean publish = environment.getProperty(PUBLISH_APPLICATION_EVENTS, Boolean.class, false);
        return new ResilienceEventDispatcher(registries, listeners(beanFactory), publish ? publisher : null);
    }

    /**
     * The listener beans, in their {@code @Order}/{@code Ordered} order, each typed by its class or, for a lambda, by
     * its bean definition (a {@code @Bean} method's return type).
     */
    private static List<ResilienceEventDispatcher.Registration> listeners(ConfigurableListableBeanFactory beanFactory) {
        List<ResilienceEventListener<?>> beans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String name : beanFactory.getBeanNamesForType(ResilienceEventListener.class)) {
            beans.add(beanFactory.getBean(name, ResilienceEventListener.class));
            names.add(name);
        }
        List<ResilienceEventDispatcher.Registration> registrations = new ArrayList<>();
        for (int i = 0; i < beans.size(); i++) {
            String name = names.get(i);
            ResolvableType declared = beanFactory.containsBeanDefinition(name)
                    ? beanFactory.getMergedBeanDefinition(name).getResolvableType()
                    : ResolvableType.NONE;
            registrations.add(ResilienceEventDispatcher.Registration.of(beans.get(i), declared));
        }
        registrations.sort((a, b) -> AnnotationAwareOrderComparator.INSTANCE.compare(a.listener(), b.listener()));
        return registrations;
    }
}

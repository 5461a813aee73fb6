package dev.resilience.spring.autoconfigure;

import dev.resilience.core.Clock;
import dev.resilience.spring.ResilienceConfigurationException;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.actuate.SettingsChanges;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

import java.util.List;

/**
 * Changing {@code resilience.*} settings of a running application in place: the {@link SettingsChanges} behind the
 * actuator endpoints' write operations and, with Spring Cloud Context on the class path, the application of changed
 * properties on its {@code EnvironmentChangeEvent} (a {@code /actuator/refresh}, a config server push). See
 * {@link RuntimeReconfiguration}.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnBean(ResilienceRegistries.class)
public final class ResilienceReconfigurationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RuntimeReconfiguration resilienceRuntimeReconfiguration(ConfigurableEnvironment environment,
                                                            ResilienceRegistries registries, Clock clock,
                                                            ObjectProvider<CircuitBreakerConfigCustomizer> circuitBreaker,
                                                            ObjectProvider<RetryConfigCustomizer> retry,
                                                            ObjectProvider<BulkheadConfigCustomizer> bulkhead,
                                                            ObjectProvider<ThreadPoolBulkheadConfigCustomizer> threadPoolBulkhead,
                                                            ObjectProvider<RateLimiterConfigCustomizer> rateLimiter,
                                                            ObjectProvider<TimeoutConfigCustomizer> timeout,
                                                            BeanFactory beanFactory) {
        RegistriesFactory.Customizers customizers = new RegistriesFactory.Customizers(
                circuitBreaker.orderedStream().toList(), retry.orderedStream().toList(), bulkhead.orderedStream().toList(),
                threadPoolBulkhead.orderedStream().toList(), rateLimiter.orderedStream().toList(), timeout.orderedStream().toList());
        ClassLoader classLoader = ResilienceAutoConfiguration.class.getClassLoader();
        return new RuntimeReconfiguration(environment, registries,
                properties -> new RegistriesFactory(properties, clock, classLoader, customizers, beanFactory));
    }

    /** Applies changed {@code resilience.*} properties when Spring Cloud reports a change of the environment. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.cloud.context.environment.EnvironmentChangeEvent")
    static class OnEnvironmentChange {

        @Bean
        ResiliencePropertiesChangeListener resiliencePropertiesChangeListener(RuntimeReconfiguration reconfiguration) {
            return new ResiliencePropertiesChangeListener(reconfiguration);
        }
    }

    /**
     * Reconfigures the instances whose properties changed. The environment has already changed when the event comes, so
     * an invalid change cannot be refused to its sender: it is logged at ERROR with the start-up message, and no
     * instance changes (they keep the settings in force before, until a valid change comes).
     */
    static final class ResiliencePropertiesChangeListener implements ApplicationListener<EnvironmentChangeEvent> {

        private static final Log LOG = LogFactory.getLog(ResiliencePropertiesChangeListener.class);
        private final RuntimeReconfiguration reconfiguration;

        ResiliencePropertiesChangeListener(RuntimeReconfiguration reconfiguration) {
            this.reconfiguration = reconfiguration;
        }

        @Override
        public void onApplicationEvent(EnvironmentChangeEvent event) {
            if (event.getKeys().stream().noneMatch(key -> key.startsWith("resilience."))) {
                return;
            }
            try {
                List<String> changes = reconfiguration.refresh();
                if (changes.isEmpty()) {
                    LOG.info("resilience.* properties changed; no running instance's settings changed");
                }
            } catch (ResilienceConfigurationException e) {
                LOG.error("Refused the changed resilience.* properties, nothing was changed: " + e.getMessage()
                        + " " + e.action());
            }
        }
    }
}

package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.ResilienceConfigurationException;

import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.keyed.KeyedInstances;

import dev.resilience.core.Clock;
import dev.resilience.core.ShutdownGate;
import dev.resilience.spring.interceptor.MethodObservationSupport;
import dev.resilience.core.internal.ContinuationThreads;
import dev.resilience.core.internal.VirtualThreads;
import dev.resilience.spring.interceptor.MethodSpecResolver;
import dev.resilience.spring.interceptor.ReactiveMethodSupport;
import dev.resilience.spring.interceptor.ResilienceAnnotationBeanPostProcessor;
import dev.resilience.spring.aspectj.AopMode;
import dev.resilience.spring.aspectj.ResilienceAspectJPostProcessor;
import dev.resilience.spring.lifecycle.ResilienceShutdownLifecycle;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Registries built from {@code resilience.*} properties, and the interception of methods carrying
 * {@code @CircuitBreaker}, {@code @Retry}, {@code @Bulkhead}, {@code @RateLimited} and {@code @Timeout}.
 * Every bean here backs off when the application defines its own.
 */
@AutoConfiguration
@EnableConfigurationProperties(ResilienceProperties.class)
public final class ResilienceAutoConfiguration {

    /** The clock all policies read; replace it (e.g. with a {@code ManualClock}) to control time in tests. */
    @Bean
    @ConditionalOnMissingBean
    Clock resilienceClock() {
        return Clock.system();
    }

    /** Counts calls in flight through annotated methods and refuses new ones once shutdown begins. */
    @Bean
    @ConditionalOnMissingBean
    ShutdownGate resilienceShutdownGate() {
        return new ShutdownGate();
    }

    @Bean
    @ConditionalOnMissingBean
    ResilienceRegistries resilienceRegistries(ResilienceProperties properties, Clock clock,
                                              ObjectProvider<CircuitBreakerConfigCustomizer> circuitBreaker,
                                              ObjectProvider<RetryConfigCustomizer> retry,
                                              ObjectProvider<BulkheadConfigCustomizer> bulkhead,
                                              ObjectProvider<ThreadPoolBulkheadConfigCustomizer> threadPoolBulkhead,
                                              ObjectProvider<RateLimiterConfigCustomizer> rateLimiter,
                                              ObjectProvider<TimeoutConfigCustomizer> timeout,
                                              BeanFactory beanFactory, Environment environment) {
        RegistriesFactory.Customizers customizers = new RegistriesFactory.Customizers(
                circuitBreaker.orderedStream().toList(), retry.orderedStream().toList(), bulkhead.orderedStream().toList(),
                threadPoolBulkhead.orderedStream().toList(), rateLimiter.orderedStream().toList(), timeout.orderedStream().toList());
        ClassLoader classLoader = ResilienceAutoConfiguration.class.getClassLoader();
        return new RegistriesFactory(properties, clock, classLoader, customizers, beanFactory,
                continuations(environment)).create();
    }

    /**
     * Virtual threads for the policies' continuations when the application runs on them
     * ({@code spring.threads.virtual.enabled=true}, which Boot honours from Java 21 on); else the core's own pool.
     */
    static Executor continuations(Environment environment) {
        return Threading.VIRTUAL.isActive(environment) && VirtualThreads.available() ? ContinuationThreads.virtual() : null;
    }

    /** The keyed rate limiters and bulkheads of annotations with a {@code key}, by instance name. */
    @Bean
    @ConditionalOnMissingBean
    KeyedInstances resilienceKeyedInstances(ResilienceRegistries registries, Clock clock) {
        return new KeyedInstances(registries, clock);
    }

    /**
     * Creates the configured instances once every singleton exists and warns about those nothing uses; eager even
     * under lazy initialization, so that configured instances always exist after start-up.
     */
    @Bean
    @Lazy(false)
    @ConditionalOnMissingBean
    ConfiguredInstances resilienceConfiguredInstances(ResilienceRegistries registries, KeyedInstances keyed) {
        return new ConfiguredInstances(registries, keyed);
    }

    /** Drains annotated calls when the application stops. */
    @Bean
    @ConditionalOnMissingBean
    ResilienceShutdownLifecycle resilienceShutdownLifecycle(ShutdownGate gate, ResilienceRegistries registries,
                                                            ResilienceProperties properties, Clock clock, Environment environment) {
        Duration timeout = properties.getShutdown().getTimeout();
        if (timeout == null || timeout.isNegative()) {
            throw ResilienceConfigurationException.invalidProperty("resilience.shutdown.timeout", timeout, "zero or a positive duration");
        }
        checkFitsTheShutdownPhase(timeout, environment);
        return new ResilienceShutdownLifecycle(gate, registries, timeout, clock);
    }

    /**
     * The drain runs in one lifecycle phase, which Spring stops waiting for after
     * {@code spring.lifecycle.timeout-per-shutdown-phase}: a longer drain would be cut off with calls still in flight
     * while the context goes on to destroy the beans they use.
     */
    static void checkFitsTheShutdownPhase(Duration timeout, Environment environment) {
        Duration phase = Binder.get(environment).bindOrCreate("spring.lifecycle", LifecycleProperties.class)
                .getTimeoutPerShutdownPhase();
        if (phase != null && timeout.compareTo(phase) >= 0) {
            throw new ResilienceConfigurationException(
                    "Property 'resilience.shutdown.timeout' (" + format(timeout) + ") must be less than "
                            + "'spring.lifecycle.timeout-per-shutdown-phase' (" + format(phase) + "): the shutdown phase "
                            + "that waits for calls in flight would end first, and the application would close with calls "
                            + "still running.",
                    "Set 'resilience.shutdown.timeout' below " + format(phase) + ", or raise "
                            + "'spring.lifecycle.timeout-per-shutdown-phase' above " + format(timeout)
                            + " (leave a few seconds between them).");
        }
    }

    private static String format(Duration duration) {
        return ResilienceConfigurationException.display(duration);
    }

    /**
     * Resolves annotated methods; created eagerly so that a bad {@code resilience.order} fails start-up. Methods
     * returning a reactive type are protected per subscription where a {@link ReactiveMethodSupport} exists (with
     * Reactor on the class path); calls are observed where a {@link MethodObservationSupport} exists (with an
     * {@code ObservationRegistry} bean).
     */
    @Bean
    @ConditionalOnMissingBean
    MethodSpecResolver resilienceMethodSpecResolver(ResilienceRegistries registries, ResilienceProperties properties,
                                                    ObjectProvider<ReactiveMethodSupport> reactive,
                                                    ObjectProvider<MethodObservationSupport> observation,
                                                    KeyedInstances keyed) {
        return new MethodSpecResolver(registries, properties.getOrder(), ResilienceAutoConfiguration.class.getClassLoader(),
                reactive.getIfAvailable(), observation.getIfAvailable(), keyed);
    }

    /** Proxies the beans with annotated methods; not in AspectJ mode, where the woven aspect protects them. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    @Conditional(ProxyMode.class)
    static ResilienceAnnotationBeanPostProcessor resilienceAnnotationBeanPostProcessor(
            ObjectProvider<MethodSpecResolver> resolver, ObjectProvider<ShutdownGate> gate, Environment environment) {
        ResilienceAnnotationBeanPostProcessor processor = new ResilienceAnnotationBeanPostProcessor(resolver::getObject, gate::getObject);
        processor.setProxyTargetClass(environment.getProperty("spring.aop.proxy-target-class", Boolean.class, Boolean.TRUE));
        return processor;
    }

    /**
     * AspectJ mode: binds the woven aspect to this context (start-up fails when the aspect was not woven) and checks
     * the beans' annotated methods at start-up; no proxies.
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    @Conditional(AspectJMode.class)
    static ResilienceAspectJPostProcessor resilienceAspectJPostProcessor(ObjectProvider<MethodSpecResolver> resolver,
                                                                        ObjectProvider<ShutdownGate> gate,
                                                                        ConfigurableListableBeanFactory beanFactory) {
        return new ResilienceAspectJPostProcessor(resolver::getObject, gate::getObject, beanFactory.getBeanClassLoader());
    }

    /**
     * {@code resilience.aop.mode} as the properties bind it (so every spelling they accept means the same here), or
     * {@code null} when it does not bind: binding the properties then fails start-up naming the property and the
     * allowed values.
     */
    static AopMode aopMode(Environment environment) {
        try {
            return Binder.get(environment).bind("resilience.aop.mode", AopMode.class).orElse(AopMode.PROXY);
        } catch (BindException e) {
            return null;
        }
    }

    /** {@code resilience.aop.mode} is not {@code aspectj}. */
    static final class ProxyMode extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            AopMode mode = aopMode(context.getEnvironment());
            return mode == AopMode.ASPECTJ ? ConditionOutcome.noMatch("resilience.aop.mode is aspectj")
                    : ConditionOutcome.match("resilience.aop.mode is " + (mode == null ? "invalid" : "proxy"));
        }
    }

    /** {@code resilience.aop.mode} is {@code aspectj}. */
    static final class AspectJMode extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return aopMode(context.getEnvironment()) == AopMode.ASPECTJ ? ConditionOutcome.match("resilience.aop.mode is aspectj")
                    : ConditionOutcome.noMatch("resilience.aop.mode is not aspectj");
        }
    }
}

package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.ResilienceConfigurationException;

import dev.resilience.spring.ResilienceRegistries;

import dev.resilience.Policy;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadConfig;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.Clock;
import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.Registry;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.StoreFailureMode;
import dev.resilience.ratelimiter.internal.StoreBackedRateLimiter;
import dev.resilience.core.internal.ContinuationThreads;
import dev.resilience.spi.RateLimiterStore;
import dev.resilience.spi.RetryBudgetStore;
import dev.resilience.retry.IntervalBiFunction;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryBudgetConfig;
import dev.resilience.retry.RetryBudgets;
import dev.resilience.retry.RetryConfig;
import dev.resilience.spring.context.ContextPropagation;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;

import static dev.resilience.spring.autoconfigure.SettingsResolver.classes;
import static dev.resilience.spring.autoconfigure.SettingsResolver.value;

/**
 * Builds {@link ResilienceRegistries} from properties, customizers and the clock. Every property of every
 * config and instance is resolved and validated here, at start-up.
 */
final class RegistriesFactory {

    private final ResilienceProperties properties;
    private final Clock clock;
    private final ClassLoader classLoader;
    private final Customizers customizers;
    /** Where bean names in properties (a retry's {@code interval-function}) are looked up; null: none can be. */
    private final BeanFactory beans;
    /**
     * Runs the continuations that policies hand off their timer (asynchronous retries after a backoff, rate-limited
     * calls once permitted, completions of timed-out calls); null: the core's own pool.
     */
    private final Executor continuations;

    /**
     * By kind, the config an instance of a given name gets from these properties, customizers applied: what the
     * registry's factory would create it with. Filled by {@link #create()}; read by run-time reconfiguration.
     */
    private final Map<String, Function<String, Object>> instanceConfigs = new java.util.HashMap<>();

    /** The customizer beans of each kind. */
    record Customizers(List<CircuitBreakerConfigCustomizer> circuitBreaker, List<RetryConfigCustomizer> retry,
                       List<BulkheadConfigCustomizer> bulkhead, List<ThreadPoolBulkheadConfigCustomizer> threadPoolBulkhead,
                       List<RateLimiterConfigCustomizer> rateLimiter, List<TimeoutConfigCustomizer> timeout) {
    }

    RegistriesFactory(ResilienceProperties properties, Clock clock, ClassLoader classLoader, Customizers customizers) {
        this(properties, clock, classLoader, customizers, null);
    }

    RegistriesFactory(ResilienceProperties properties, Clock clock, ClassLoader classLoader, Customizers customizers,
                      BeanFactory beans) {
        this(properties, clock, classLoader, customizers, beans, null);
    }

    RegistriesFactory(ResilienceProperties properties, Clock clock, ClassLoader classLoader, Customizers customizers,
                      BeanFactory beans, Executor continuations) {
        this.continuations = continuations;
        this.beans = beans;
        this.properties = properties;
        this.clock = clock;
        this.classLoader = classLoader;
        this.customizers = customizers;
    }

    ResilienceRegistries create() {
        return new ResilienceRegistries(circuitBreakers(), retries(), bulkheads(), threadPoolBulkheads(), rateLimiters(), timeouts());
    }

    /**
     * @param kind a kind as in property names ({@code circuitbreaker}, {@code ratelimiter}, ...)
     * @return after {@link #create()}: the config an instance of a given name gets from these properties (its instance
     *     config, else the default), with the customizers applied; throws as a creation would for a customizer that fails
     */
    Function<String, Object> instanceConfigs(String kind) {
        Function<String, Object> configs = instanceConfigs.get(kind);
        if (configs == null) {
            throw new IllegalStateException("create() has not resolved kind " + kind);
        }
        return configs;
    }

    private Registry<CircuitBreaker, CircuitBreakerConfig> circuitBreakers() {
        List<SettingsResolver.Setting<CircuitBreakerProperties, CircuitBreakerConfig.Builder>> settings = List.of(
                value("sliding-window-type", CircuitBreakerProperties::getSlidingWindowType, (b, v) -> b.slidingWindowType((CircuitBreakerConfig.SlidingWindowType) v)),
                value("sliding-window-size", CircuitBreakerProperties::getSlidingWindowSize, (b, v) -> b.slidingWindowSize((Integer) v)),
                value("minimum-number-of-calls", CircuitBreakerProperties::getMinimumNumberOfCalls, (b, v) -> b.minimumNumberOfCalls((Integer) v)),
                value("failure-rate-threshold", CircuitBreakerProperties::getFailureRateThreshold, (b, v) -> b.failureRateThreshold((Float) v)),
                value("slow-call-rate-threshold", CircuitBreakerProperties::getSlowCallRateThreshold, (b, v) -> b.slowCallRateThreshold((Float) v)),
                value("slow-call-duration-threshold", CircuitBreakerProperties::getSlowCallDurationThreshold, (b, v) -> b.slowCallDurationThreshold((java.time.Duration) v)),
                value("wait-duration-in-open-state", CircuitBreakerProperties::getWaitDurationInOpenState, (b, v) -> b.waitDurationInOpenState((java.time.Duration) v)),
                value("wait-duration-in-open-state-multiplier", CircuitBreakerProperties::getWaitDurationInOpenStateMultiplier, (b, v) -> b.waitDurationInOpenStateMultiplier((Double) v)),
                value("max-wait-duration-in-open-state", CircuitBreakerProperties::getMaxWaitDurationInOpenState, (b, v) -> b.maxWaitDurationInOpenState((java.time.Duration) v)),
                value("permitted-number-of-calls-in-half-open-state", CircuitBreakerProperties::getPermittedNumberOfCallsInHalfOpenState, (b, v) -> b.permittedNumberOfCallsInHalfOpenState((Integer) v)),
                value("max-wait-duration-in-half-open-state", CircuitBreakerProperties::getMaxWaitDurationInHalfOpenState, (b, v) -> b.maxWaitDurationInHalfOpenState((java.time.Duration) v)),
                value("automatic-transition-from-open-to-half-open-enabled", CircuitBreakerProperties::getAutomaticTransitionFromOpenToHalfOpenEnabled, (b, v) -> b.automaticTransitionFromOpenToHalfOpenEnabled((Boolean) v)),
                classes("record-exceptions", CircuitBreakerProperties::getRecordExceptions, (b, v) -> b.recordExceptions(throwables(v))),
                classes("ignore-exceptions", CircuitBreakerProperties::getIgnoreExceptions, (b, v) -> b.ignoreExceptions(throwables(v))));
        return registry("circuitbreaker", properties.getCircuitbreaker(), CircuitBreakerConfig::builder, CircuitBreakerConfig.Builder::build, settings,
                customizers.circuitBreaker(), CircuitBreakerConfig::toBuilder, CircuitBreakerConfigCustomizer::customize,
                (name, config) -> CircuitBreaker.of(name, config, clock), RegistriesFactory::minimumCallsFitTheWindow);
    }

    /**
     * A count-based window never holds more than its size, so a minimum above it could never be reached: the core
     * would use the window size instead. Only the built-in minimum (100) may give way like that, when the window is
     * made smaller; a minimum someone set is never cut.
     */
    private static void minimumCallsFitTheWindow(CircuitBreakerConfig config, Function<String, String> origin, String path) {
        String minimumProperty = origin.apply("minimumNumberOfCalls");
        if (minimumProperty == null || config.slidingWindowType() != CircuitBreakerConfig.SlidingWindowType.COUNT_BASED
                || config.minimumNumberOfCalls() <= config.slidingWindowSize()) {
            return;
        }
        String windowProperty = origin.apply("slidingWindowSize");
        String window = windowProperty != null
                ? "'" + windowProperty + "' (" + config.slidingWindowSize() + ")"
                : "the built-in sliding-window-size of " + path + " (" + config.slidingWindowSize() + ")";
        throw new ResilienceConfigurationException(
                "Invalid value '" + config.minimumNumberOfCalls() + "' for property '" + minimumProperty + "': it must be at most "
                        + window + ", since a COUNT_BASED window never holds more calls than its size.",
                "Lower '" + minimumProperty + "' to at most " + config.slidingWindowSize() + ", or raise "
                        + (windowProperty != null ? "'" + windowProperty + "'" : "'" + path + ".sliding-window-size'")
                        + " to at least " + config.minimumNumberOfCalls() + ".");
    }

    private Registry<Retry, RetryConfig> retries() {
        List<SettingsResolver.Setting<RetryProperties, RetryConfig.Builder>> settings = List.of(
                value("max-attempts", RetryProperties::getMaxAttempts, (b, v) -> b.maxAttempts((Integer) v)),
                value("wait-duration", RetryProperties::getWaitDuration, (b, v) -> b.waitDuration((java.time.Duration) v)),
                value("exponential-backoff-multiplier", RetryProperties::getExponentialBackoffMultiplier, (b, v) -> b.exponentialBackoffMultiplier((Double) v)),
                value("exponential-max-wait-duration", RetryProperties::getExponentialMaxWaitDuration, (b, v) -> b.exponentialMaxWaitDuration((java.time.Duration) v)),
                value("randomized-wait-factor", RetryProperties::getRandomizedWaitFactor, (b, v) -> b.randomizedWaitFactor((Double) v)),
                classes("retry-exceptions", RetryProperties::getRetryExceptions, (b, v) -> b.retryExceptions(throwables(v))),
                classes("ignore-exceptions", RetryProperties::getIgnoreExceptions, (b, v) -> b.ignoreExceptions(throwables(v))),
                classes("retry-rejections", RetryProperties::getRetryRejections, (b, v) -> b.retryRejections(rejections(v))),
                value("max-duration", RetryProperties::getMaxDuration, (b, v) -> b.maxDuration((java.time.Duration) v)),
                value("interval-function", RetryProperties::getIntervalFunction, (b, v) -> b.intervalFunction(intervalFunction((String) v))),
                value("fail-after-max-attempts", RetryProperties::getFailAfterMaxAttempts, (b, v) -> b.failAfterMaxAttempts((Boolean) v)),
                budget("enabled", RetryProperties.Budget::getEnabled, (b, v) -> b.budgetEnabled((Boolean) v)),
                budget("ratio", RetryProperties.Budget::getRatio, (b, v) -> b.budgetRatio((Double) v)),
                budget("window", RetryProperties.Budget::getWindow, (b, v) -> b.budgetWindow((java.time.Duration) v)),
                budget("min-retries-per-second", RetryProperties.Budget::getMinRetriesPerSecond, (b, v) -> b.budgetMinRetriesPerSecond((Double) v)),
                budget("group", RetryProperties.Budget::getGroup, (b, v) -> b.budgetGroup((String) v)),
                new SettingsResolver.Setting<>("budget.store", "budgetShared", p -> p.getBudget().getStore(),
                        (b, v) -> b.budgetShared(sharedBudget((String) v)), false));
        RetryBudgets budgets = retryBudgets();
        return registry("retry", properties.getRetry(), this::retryBuilder, RetryConfig.Builder::build, settings,
                customizers.retry(), RetryConfig::toBuilder, RetryConfigCustomizer::customize,
                (name, config) -> retry(name, config, budgets), RegistriesFactory::sharedBudgetHasAGroup);
    }

    private static boolean sharedBudget(String store) {
        if (RateLimiterStores.isRedis(store)) {
            return true;
        }
        if (RateLimiterStores.isLocal(store)) {
            return false;
        }
        throw new InvalidConfigException("budgetShared", store, "'local' or 'redis'");
    }

    /** A budget shared across the fleet is a group's: without a group there is nothing to share it by. */
    private static void sharedBudgetHasAGroup(RetryConfig config, Function<String, String> origin, String path) {
        if (config.budget().filter(b -> b.shared() && b.group() == null).isPresent()) {
            String property = origin.apply("budgetShared");
            throw new ResilienceConfigurationException(
                    "Property '" + property + "' is 'redis', but " + path + " has no budget.group: a budget shared by "
                            + "every instance is a group's budget.",
                    "Set '" + path + ".budget.group' (or the group in a base config) to name the shared budget, or set '"
                            + property + "' to 'local'.");
        }
    }

    /** The retry budgets, with the Redis store when some retry's budget.store is 'redis'. */
    private RetryBudgets retryBudgets() {
        String firstRedis = null;
        for (Map.Entry<String, RetryProperties> e : properties.getRetry().getConfigs().entrySet()) {
            String store = e.getValue().getBudget().getStore();
            if (firstRedis == null && store != null && RateLimiterStores.isRedis(store)) {
                firstRedis = "resilience.retry.configs." + e.getKey() + ".budget.store";
            }
        }
        for (Map.Entry<String, RetryProperties> e : properties.getRetry().getInstances().entrySet()) {
            String store = e.getValue().getBudget().getStore();
            if (firstRedis == null && store != null && RateLimiterStores.isRedis(store)) {
                firstRedis = "resilience.retry.instances." + e.getKey() + ".budget.store";
            }
        }
        java.time.Duration syncInterval = properties.getRetry().getRedis().getSyncInterval();
        if (syncInterval == null || syncInterval.isNegative() || syncInterval.isZero()) {
            throw ResilienceConfigurationException.invalidProperty("resilience.retry.redis.sync-interval", syncInterval,
                    "a positive duration");
        }
        RetryBudgetStore store = firstRedis == null ? null : RateLimiterStores.require(firstRedis,
                () -> beans == null ? null : beans.getBeanProvider(RetryBudgetStore.class).getIfAvailable(),
                beanClassLoader(), RetryBudgetStore.class);
        return new RetryBudgets(clock, RetryBudgets.DEFAULT_MAX_GROUPS, store, syncInterval);
    }

    private ClassLoader beanClassLoader() {
        return beans instanceof ConfigurableBeanFactory factory && factory.getBeanClassLoader() != null
                ? factory.getBeanClassLoader() : classLoader;
    }

    /** A retry config builder whose asynchronous attempts after a backoff run on {@link #continuations}, if set. */
    private RetryConfig.Builder retryBuilder() {
        RetryConfig.Builder builder = RetryConfig.builder();
        return continuations == null ? builder : builder.asyncExecutor(continuations);
    }

    /**
     * The bean a retry's {@code interval-function} names. Fails (as an invalid value of that property, which the
     * resolver names) when no bean has that name or the bean is not an {@link IntervalBiFunction}.
     */
    private IntervalBiFunction intervalFunction(String beanName) {
        String allowed = "the name of a bean of type " + IntervalBiFunction.class.getName();
        String name = beanName.trim();
        if (beans == null || name.isEmpty() || !beans.containsBean(name)) {
            throw new InvalidConfigException("intervalFunction", beanName, allowed + " (no bean is named '" + name
                    + "')");
        }
        Object bean = beans.getBean(name);
        if (!(bean instanceof IntervalBiFunction function)) {
            throw new InvalidConfigException("intervalFunction", beanName, allowed + " (bean '" + name + "' is a "
                    + (bean == null ? "null" : bean.getClass().getName()) + ")");
        }
        return function;
    }

    /** A retry drawing on its group's shared budget, if its config names one. */
    private Retry retry(String name, RetryConfig config, RetryBudgets budgets) {
        try {
            return Retry.of(name, config, clock, budgets, ContextPropagation.carrier());
        } catch (IllegalArgumentException conflict) {
            String group = config.budget().map(RetryBudgetConfig::group).orElse("?");
            throw new ResilienceConfigurationException(
                    "Retry '" + name + "' joins retry budget group '" + group + "' with settings that differ from the group's: "
                            + conflict.getMessage(),
                    "Give every retry whose 'budget.group' is '" + group + "' the same budget.ratio, budget.window and "
                            + "budget.min-retries-per-second (e.g. set them once in a shared config under "
                            + "'resilience.retry.configs').", conflict);
        }
    }

    private Registry<Bulkhead, BulkheadConfig> bulkheads() {
        List<SettingsResolver.Setting<BulkheadProperties, BulkheadConfig.Builder>> settings = List.of(
                value("max-concurrent-calls", BulkheadProperties::getMaxConcurrentCalls, (b, v) -> b.maxConcurrentCalls((Integer) v)),
                value("max-wait-duration", BulkheadProperties::getMaxWaitDuration, (b, v) -> b.maxWaitDuration((java.time.Duration) v)),
                value("max-keys", BulkheadProperties::getMaxKeys, (b, v) -> b.maxKeys((Integer) v)),
                value("key-idle-expiry", BulkheadProperties::getKeyIdleExpiry, (b, v) -> b.keyIdleExpiry((java.time.Duration) v)));
        return registry("bulkhead", properties.getBulkhead(), BulkheadConfig::builder, BulkheadConfig.Builder::build, settings,
                customizers.bulkhead(), BulkheadConfig::toBuilder, BulkheadConfigCustomizer::customize,
                (name, config) -> Bulkhead.of(name, config, clock, ContextPropagation.carrier()));
    }

    private Registry<ThreadPoolBulkhead, ThreadPoolBulkheadConfig> threadPoolBulkheads() {
        List<SettingsResolver.Setting<ThreadPoolBulkheadProperties, ThreadPoolBulkheadConfig.Builder>> settings = List.of(
                value("core-thread-pool-size", ThreadPoolBulkheadProperties::getCoreThreadPoolSize, (b, v) -> b.coreThreadPoolSize((Integer) v)),
                value("max-thread-pool-size", ThreadPoolBulkheadProperties::getMaxThreadPoolSize, (b, v) -> b.maxThreadPoolSize((Integer) v)),
                value("queue-capacity", ThreadPoolBulkheadProperties::getQueueCapacity, (b, v) -> b.queueCapacity((Integer) v)),
                value("keep-alive-duration", ThreadPoolBulkheadProperties::getKeepAliveDuration, (b, v) -> b.keepAliveDuration((java.time.Duration) v)),
                value("virtual-threads", ThreadPoolBulkheadProperties::getVirtualThreads, (b, v) -> b.virtualThreads((Boolean) v)));
        return registry("thread-pool-bulkhead", properties.getThreadPoolBulkhead(), ThreadPoolBulkheadConfig::builder, ThreadPoolBulkheadConfig.Builder::build, settings,
                customizers.threadPoolBulkhead(), ThreadPoolBulkheadConfig::toBuilder, ThreadPoolBulkheadConfigCustomizer::customize,
                (name, config) -> ThreadPoolBulkhead.of(name, config, clock, ContextPropagation.carrier()));
    }

    private Registry<RateLimiter, RateLimiterConfig> rateLimiters() {
        List<SettingsResolver.Setting<RateLimiterProperties, RateLimiterConfig.Builder>> settings = List.of(
                value("limit-for-period", RateLimiterProperties::getLimitForPeriod, (b, v) -> b.limitForPeriod((Integer) v)),
                value("limit-refresh-period", RateLimiterProperties::getLimitRefreshPeriod, (b, v) -> b.limitRefreshPeriod((java.time.Duration) v)),
                value("timeout-duration", RateLimiterProperties::getTimeoutDuration, (b, v) -> b.timeoutDuration((java.time.Duration) v)),
                value("max-keys", RateLimiterProperties::getMaxKeys, (b, v) -> b.maxKeys((Integer) v)),
                value("key-idle-expiry", RateLimiterProperties::getKeyIdleExpiry, (b, v) -> b.keyIdleExpiry((java.time.Duration) v)),
                value("on-store-failure", RateLimiterProperties::getOnStoreFailure, (b, v) -> b.onStoreFailure((StoreFailureMode) v)));
        RateLimiterStores stores = new RateLimiterStores(properties.getRatelimiter(),
                () -> beans == null ? null : beans.getBeanProvider(RateLimiterStore.class).getIfAvailable(),
                beanClassLoader());
        return registry("ratelimiter", properties.getRatelimiter(), RateLimiterConfig::builder, RateLimiterConfig.Builder::build, settings,
                customizers.rateLimiter(), RateLimiterConfig::toBuilder, RateLimiterConfigCustomizer::customize,
                (name, config) -> {
                    RateLimiterStore store = stores.storeOf(name);
                    if (store != null) {
                        return new StoreBackedRateLimiter(name, name, config, clock, store, store.commandTimeout(),
                                continuations == null ? ContinuationThreads.INSTANCE : continuations,
                                ContextPropagation.carrier());
                    }
                    return continuations == null ? RateLimiter.of(name, config, clock, ContextPropagation.carrier())
                            : RateLimiter.of(name, config, clock, continuations, ContextPropagation.carrier());
                });
    }

    private Registry<Timeout, TimeoutConfig> timeouts() {
        List<SettingsResolver.Setting<TimeoutProperties, TimeoutConfig.Builder>> settings = List.of(
                value("timeout-duration", TimeoutProperties::getTimeoutDuration, (b, v) -> b.timeoutDuration((java.time.Duration) v)),
                value("cancel-running-future", TimeoutProperties::getCancelRunningFuture, (b, v) -> b.cancelRunningFuture((Boolean) v)));
        return registry("timeout", properties.getTimeout(), TimeoutConfig::builder, TimeoutConfig.Builder::build, settings,
                customizers.timeout(), TimeoutConfig::toBuilder, TimeoutConfigCustomizer::customize,
                (name, config) -> continuations == null ? Timeout.of(name, config, clock, ContextPropagation.carrier())
                        : Timeout.of(name, config, clock, continuations, ContextPropagation.carrier()));
    }

    /** Resolves configs and instances and builds the registry. */
    private <P extends Policy, S extends InstanceProperties, B, C, K> Registry<P, C> registry(
            String kind, KindProperties<S> kindProperties, java.util.function.Supplier<B> newBuilder, Function<B, C> build,
            List<SettingsResolver.Setting<S, B>> settings, List<K> kindCustomizers, Function<C, B> toBuilder,
            TriConsumer<K, String, B> customize, Registry.Factory<P, C> factory) {
        return registry(kind, kindProperties, newBuilder, build, settings, kindCustomizers, toBuilder, customize, factory,
                (config, origin, path) -> { });
    }

    private <P extends Policy, S extends InstanceProperties, B, C, K> Registry<P, C> registry(
            String kind, KindProperties<S> kindProperties, java.util.function.Supplier<B> newBuilder, Function<B, C> build,
            List<SettingsResolver.Setting<S, B>> settings, List<K> kindCustomizers, Function<C, B> toBuilder,
            TriConsumer<K, String, B> customize, Registry.Factory<P, C> factory, SettingsResolver.Check<C> check) {
        SettingsResolver<S, B, C> resolver = new SettingsResolver<>(kind, kindProperties, newBuilder, build, settings, classLoader, check);
        Map<String, C> configs = resolver.configs();
        Map<String, C> instances = resolver.instances();
        java.util.function.BiFunction<String, C, C> customizing = (name, config) -> {
            B builder = toBuilder.apply(config);
            for (K customizer : kindCustomizers) {
                try {
                    customize.accept(customizer, name, builder);
                } catch (InvalidConfigException e) {
                    throw new ResilienceConfigurationException(
                            "The " + kind + " config customizer " + customizer.getClass().getName() + " set '" + e.setting()
                                    + "' of instance '" + name + "' to '" + e.value() + "': it must be " + e.allowed() + ".",
                            "Change " + customizer.getClass().getName() + " so that it sets '" + e.setting()
                                    + "' to a value that is " + e.allowed() + ".", e);
                } catch (ResilienceConfigurationException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new ResilienceConfigurationException(
                            "The " + kind + " config customizer " + customizer.getClass().getName() + " failed for instance '"
                                    + name + "': " + e,
                            "Fix " + customizer.getClass().getName() + " so that it can customize instance '" + name + "'.", e);
                }
            }
            C adjusted;
            try {
                adjusted = build.apply(builder);
            } catch (InvalidConfigException e) {
                throw new ResilienceConfigurationException(
                        "A " + kind + " config customizer set '" + SettingsResolver.kebab(e.setting()) + "' of instance '" + name
                                + "' to '" + e.value() + "': it must be " + e.allowed() + ".",
                        "Change the customizer so that it sets a value that is " + e.allowed() + ".", e);
            }
            return adjusted;
        };
        Registry.Factory<P, C> customized = kindCustomizers.isEmpty() ? factory
                : (name, config) -> factory.create(name, customizing.apply(name, config));
        Registry.Builder<P, C> builder = Registry.builder(kind, customized, configs.get("default"));
        configs.forEach(builder::config);
        instances.forEach(builder::instanceConfig);
        // Configured instances are created once every singleton exists (ConfiguredInstances), so that start-up can
        // tell which of them annotations and code actually use.
        Registry<P, C> registry = builder.build();
        instanceConfigs.put(kind, name -> kindCustomizers.isEmpty() ? registry.configFor(name)
                : customizing.apply(name, registry.configFor(name)));
        return registry;
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Throwable>[] throwables(Object value) {
        return (Class<? extends Throwable>[]) value;
    }

    /**
     * A {@code budget.*} property, its setting named as the core builder names it ({@code budgetRatio}), so that an
     * error the builder raises at build time (a budget setting without {@code budget.enabled}) names the property.
     */
    private static SettingsResolver.Setting<RetryProperties, RetryConfig.Builder> budget(
            String property, Function<RetryProperties.Budget, Object> getter, java.util.function.BiConsumer<RetryConfig.Builder, Object> setter) {
        String camel = SettingsResolver.camel(property);
        return new SettingsResolver.Setting<>("budget." + property, "budget" + Character.toUpperCase(camel.charAt(0)) + camel.substring(1),
                p -> getter.apply(p.getBudget()), setter, false);
    }

    /** The builder checks that each class is a rejection; the array only carries them there. */
    @SuppressWarnings("unchecked")
    private static Class<? extends dev.resilience.ResilienceException>[] rejections(Object value) {
        return (Class<? extends dev.resilience.ResilienceException>[]) value;
    }

    @FunctionalInterface
    interface TriConsumer<A, B, C> {
        void accept(A a, B b, C c);
    }

}

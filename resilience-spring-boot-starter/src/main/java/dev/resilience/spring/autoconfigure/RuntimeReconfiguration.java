package dev.resilience.spring.autoconfigure;

import dev.resilience.Policy;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadConfig;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.Registry;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import dev.resilience.spring.ResilienceConfigurationException;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.actuate.SettingsChanges;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.handler.IgnoreTopLevelConverterNotFoundBindHandler;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Applies changed {@code resilience.*} properties to the running instances, in place: on a refresh of the environment
 * ({@link #refresh()}, called on Spring Cloud's {@code EnvironmentChangeEvent}) and for the actuator's write operations
 * ({@link SettingsChanges}), whose values are kept as a property source of their own above all others.
 *
 * <p>Every change resolves the whole {@code resilience.*} tree again exactly as start-up does (binding, the same
 * {@link SettingsResolver} checks and customizers, so the same messages naming the full property), then compares, for
 * every instance that exists, the config its name resolved to before with the one it resolves to now. Only instances
 * whose config changed are touched. Settings that cannot change at run time (a rate limiter's
 * {@code limit-refresh-period}, a retry's {@code budget.*}, a thread-pool bulkhead's {@code virtual-threads}) are
 * checked for every instance before any is changed: an invalid change is refused whole, and nothing changes. Each change of an instance
 * is logged at INFO with its old and new values, and the instance publishes CONFIG_CHANGED on its event stream.
 *
 * <p>An instance created in code with a config of its own follows the properties too once the config its name
 * resolves to changes (its own config is not distinguishable from one the properties gave it).
 */
final class RuntimeReconfiguration implements SettingsChanges {

    /** The property source holding the values set through the actuator. */
    static final String RUNTIME_SOURCE = "resilienceRuntimeSettings";
    private static final Log LOG = LogFactory.getLog(RuntimeReconfiguration.class);
    private static final List<String> KINDS =
            List.of("circuitbreaker", "retry", "bulkhead", "thread-pool-bulkhead", "ratelimiter", "timeout");

    private final ConfigurableEnvironment environment;
    private final ResilienceRegistries live;
    private final Function<ResilienceProperties, RegistriesFactory> factories;
    /** The values set through the actuator; the map behind {@link #RUNTIME_SOURCE}, written only when a change is made. */
    private final Map<String, Object> runtimeValues = new LinkedHashMap<>();
    /** The resolution the running instances follow now. Guarded by this. */
    private RegistriesFactory current;

    /**
     * @param environment the application's environment
     * @param live the registries whose instances change
     * @param factories builds a registries factory for properties, as start-up does (clock, customizers, beans)
     */
    RuntimeReconfiguration(ConfigurableEnvironment environment, ResilienceRegistries live,
                           Function<ResilienceProperties, RegistriesFactory> factories) {
        this.environment = environment;
        this.live = live;
        this.factories = factories;
        environment.getPropertySources().addFirst(new MapPropertySource(RUNTIME_SOURCE, runtimeValues));
        this.current = resolve(runtimeValues);
    }

    /**
     * Applies the environment's {@code resilience.*} properties as they are now.
     *
     * @return the changes made, one line each
     * @throws ResilienceConfigurationException if they are invalid or cannot be applied at run time; nothing changed
     */
    synchronized List<String> refresh() {
        RegistriesFactory next = resolve(runtimeValues);
        List<String> changes = apply(next, "the application's properties changed");
        current = next;
        return changes;
    }

    @Override
    public synchronized List<String> change(String kind, String name, Map<String, String> settings) {
        Map<String, Object> candidate = new LinkedHashMap<>(runtimeValues);
        settings.forEach((setting, value) -> candidate.put(property(kind, name, setting), value));
        RegistriesFactory next = resolve(candidate);
        List<String> changes = apply(next, "set through the actuator");
        runtimeValues.clear();
        runtimeValues.putAll(candidate);
        current = next;
        return changes;
    }

    @Override
    public synchronized List<String> restore(String kind, String name) {
        String prefix = "resilience." + kind + ".instances." + name + ".";
        Map<String, Object> candidate = new LinkedHashMap<>(runtimeValues);
        candidate.keySet().removeIf(key -> key.startsWith(prefix));
        RegistriesFactory next = resolve(candidate);
        List<String> changes = apply(next, "restored to its properties through the actuator");
        runtimeValues.clear();
        runtimeValues.putAll(candidate);
        current = next;
        return changes;
    }

    private static String property(String kind, String name, String setting) {
        return "resilience." + kind + ".instances." + name + "." + SettingsResolver.kebab(setting);
    }

    /** Binds and resolves {@code resilience.*} as start-up does, with {@code runtime} above every property source. */
    private RegistriesFactory resolve(Map<String, Object> runtime) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new MapPropertySource(RUNTIME_SOURCE, new LinkedHashMap<>(runtime)));
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!RUNTIME_SOURCE.equals(source.getName())) {
                sources.addLast(source);
            }
        }
        Binder binder = new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources),
                ApplicationConversionService.getSharedInstance());
        ResilienceProperties properties = new ResilienceProperties();
        try {
            // As @ConfigurationProperties(ignoreUnknownFields = false) binds at start-up: an unknown property is an error.
            binder.bind("resilience", Bindable.ofInstance(properties),
                    new NoUnboundElementsBindHandler(new IgnoreTopLevelConverterNotFoundBindHandler()));
        } catch (BindException e) {
            throw bindFailure(e);
        }
        properties.afterPropertiesSet();
        RegistriesFactory factory = factories.apply(properties);
        factory.create();
        return factory;
    }

    private static ResilienceConfigurationException bindFailure(BindException e) {
        ConfigurationProperty property = e.getProperty();
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String detail = cause.getMessage();
        if (property != null) {
            return ResilienceConfigurationException.invalidProperty(property.getName().toString(), property.getValue(),
                    "of the property's type (" + detail + ")");
        }
        return new ResilienceConfigurationException("Failed to bind properties under '" + e.getName() + "': " + detail,
                "Correct or remove the property named above.", e);
    }

    /** An instance to change, with the config it changes to. */
    private record Planned(String kind, Policy instance, Object from, Object to) {
    }

    /** Plans every change, checks all of them, then makes them: all or nothing. */
    private List<String> apply(RegistriesFactory next, String why) {
        List<Planned> plan = new ArrayList<>();
        for (String kind : KINDS) {
            Function<String, Object> before = current.instanceConfigs(kind);
            Function<String, Object> after = next.instanceConfigs(kind);
            for (Policy instance : registry(kind).all()) {
                Object from = before.apply(instance.name());
                Object to = after.apply(instance.name());
                if (!from.toString().equals(to.toString())) {
                    plan.add(new Planned(kind, instance, from, to));
                }
            }
        }
        plan.forEach(RuntimeReconfiguration::checkChangeable);
        List<String> changes = new ArrayList<>();
        for (Planned planned : plan) {
            reconfigure(planned);
            String line = planned.kind() + " '" + planned.instance().name() + "': "
                    + ConfigDiff.describe(planned.from().toString(), planned.to().toString());
            LOG.info("Reconfigured " + line + " (" + why + ")");
            changes.add(line);
        }
        return changes;
    }

    private Registry<? extends Policy, ?> registry(String kind) {
        return switch (kind) {
            case "circuitbreaker" -> live.circuitBreakers();
            case "retry" -> live.retries();
            case "bulkhead" -> live.bulkheads();
            case "thread-pool-bulkhead" -> live.threadPoolBulkheads();
            case "ratelimiter" -> live.rateLimiters();
            default -> live.timeouts();
        };
    }

    private static void checkChangeable(Planned planned) {
        String name = planned.instance().name();
        switch (planned.kind()) {
            case "thread-pool-bulkhead" -> {
                ThreadPoolBulkheadConfig from = (ThreadPoolBulkheadConfig) planned.from();
                ThreadPoolBulkheadConfig to = (ThreadPoolBulkheadConfig) planned.to();
                if (from.virtualThreads() != to.virtualThreads()) {
                    throw notAtRunTime("resilience.thread-pool-bulkhead.instances." + name + ".virtual-threads",
                            "whether the threads of thread-pool bulkhead '" + name + "' are virtual", from.virtualThreads(),
                            to.virtualThreads());
                }
            }
            case "ratelimiter" -> {
                RateLimiterConfig from = (RateLimiterConfig) planned.from();
                RateLimiterConfig to = (RateLimiterConfig) planned.to();
                if (!from.limitRefreshPeriod().equals(to.limitRefreshPeriod())) {
                    throw notAtRunTime("resilience.ratelimiter.instances." + name + ".limit-refresh-period",
                            "the limit-refresh-period of rate limiter '" + name + "'", from.limitRefreshPeriod(),
                            to.limitRefreshPeriod());
                }
            }
            case "retry" -> {
                RetryConfig from = (RetryConfig) planned.from();
                RetryConfig to = (RetryConfig) planned.to();
                if (!from.budget().equals(to.budget())) {
                    throw notAtRunTime("resilience.retry.instances." + name + ".budget.*",
                            "the budget of retry '" + name + "'", from.budget().orElse(null), to.budget().orElse(null));
                }
            }
            default -> {
                // every other setting can change at run time
            }
        }
    }

    private static ResilienceConfigurationException notAtRunTime(String property, String what, Object from, Object to) {
        return new ResilienceConfigurationException("Property '" + property + "' cannot change at run time: " + what
                + " would change from " + from + " to " + to + ". Nothing was changed.",
                "Restart the application to change '" + property + "', or change it back.");
    }

    private static void reconfigure(Planned planned) {
        Object to = Objects.requireNonNull(planned.to());
        switch (planned.kind()) {
            case "circuitbreaker" -> ((CircuitBreaker) planned.instance()).reconfigure((CircuitBreakerConfig) to);
            case "retry" -> ((Retry) planned.instance()).reconfigure((RetryConfig) to);
            case "bulkhead" -> ((Bulkhead) planned.instance()).reconfigure((BulkheadConfig) to);
            case "thread-pool-bulkhead" -> ((ThreadPoolBulkhead) planned.instance()).reconfigure((ThreadPoolBulkheadConfig) to);
            case "ratelimiter" -> ((RateLimiter) planned.instance()).reconfigure((RateLimiterConfig) to);
            case "timeout" -> ((Timeout) planned.instance()).reconfigure((TimeoutConfig) to);
            default -> throw new IllegalStateException("not changeable at run time: " + planned.kind());
        }
    }
}

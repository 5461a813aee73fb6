package dev.resilience.spring.cloud;

import dev.resilience.Policy;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.Registry;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.cloud.SpringCloudCircuitBreakerProperties.Composition;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Decides, for one id of the Spring Cloud factories, which of our policies its circuit breaker runs through and with
 * which configs, from the registries (so from the {@code resilience.*} properties) and the factories' customizers.
 * Shared by the blocking and the reactive factory; called once per id, never per call.
 *
 * <p>Where a policy's config comes from, first that applies: {@code resilience.<kind>.instances.<id>}; a customizer's
 * {@code configure(..., id)}; for a breaker created with a group, {@code resilience.<kind>.instances.<group>} or the
 * shared config {@code resilience.<kind>.configs.<group>}, then a customizer's {@code configure(..., group)}; the
 * factory's {@code configureDefault}; the {@code default} config. The instance is always the registry's instance
 * named after the id, so an annotated method naming the same instance shares it.
 */
final class CloudPolicies {

    private static final List<String> DEFAULT_ORDER = List.of("circuitbreaker", "timeout", "bulkhead");

    private final ResilienceRegistries registries;
    private final SpringCloudCircuitBreakerProperties properties;
    private final List<String> order;

    /**
     * @param registries the starter's registries
     * @param properties how timeouts and bulkheads are composed
     * @param order {@code resilience.order} (all five kinds, outermost first; validated where the annotations use it)
     */
    CloudPolicies(ResilienceRegistries registries, SpringCloudCircuitBreakerProperties properties, List<String> order) {
        this.registries = registries;
        this.properties = properties;
        List<String> ours = new ArrayList<>();
        for (String kind : order) {
            String normalized = kind == null ? "" : kind.trim().toLowerCase(Locale.ROOT);
            if (DEFAULT_ORDER.contains(normalized) && !ours.contains(normalized)) {
                ours.add(normalized);
            }
        }
        this.order = ours.size() == DEFAULT_ORDER.size() ? List.copyOf(ours) : DEFAULT_ORDER;
    }

    /** @return a customizer's builder for {@code id}, its {@code UnaryOperator} forms starting from the properties' configs */
    CloudCircuitBreakerConfig.Builder builder(String id) {
        return new CloudCircuitBreakerConfig.Builder(registries.circuitBreakers().configFor(id),
                registries.timeouts().configFor(id), registries.bulkheads().configFor(id));
    }

    /**
     * Refuses a customizer's config for a name whose policies the properties configure already: one place per setting.
     *
     * @throws IllegalStateException naming the property
     */
    void checkConfigurable(String id, CloudCircuitBreakerConfig config) {
        checkNotInProperties(registries.circuitBreakers(), id, config.circuitBreakerConfig());
        checkNotInProperties(registries.timeouts(), id, config.timeoutConfig());
        checkNotInProperties(registries.bulkheads(), id, config.bulkheadConfig());
    }

    private static void checkNotInProperties(Registry<?, ?> registry, String id, Object config) {
        if (config != null && registry.instanceConfigs().containsKey(id)) {
            throw new IllegalStateException("The " + registry.kind() + " config of Spring Cloud circuit breaker '" + id
                    + "' is set twice: by 'resilience." + registry.kind() + ".instances." + id + "' and by a CircuitBreakerFactory "
                    + "customizer (configure(..., \"" + id + "\")). Set it in one place: remove the customizer's "
                    + registry.kind() + " config, or the properties.");
        }
    }

    /**
     * @param id the circuit breaker id
     * @param group its group, or {@code null}
     * @param forId what a customizer configured for the id (never {@code null})
     * @param forGroup what a customizer configured for the group (never {@code null})
     * @param byDefault what {@code configureDefault} gives the id (never {@code null})
     * @return the policies, outermost first: the circuit breaker, and the timeout and bulkhead where composed, in the
     *     order {@code resilience.order} gives them
     * @throws IllegalStateException if a config set explicitly cannot apply because the instance exists already with
     *     another config
     */
    List<Policy> resolve(String id, String group, CloudCircuitBreakerConfig forId, CloudCircuitBreakerConfig forGroup,
                         CloudCircuitBreakerConfig byDefault) {
        CircuitBreaker breaker = instance(registries.circuitBreakers(), id, group, forId, forGroup, byDefault,
                CloudCircuitBreakerConfig::circuitBreakerConfig, Composition.ALWAYS, CircuitBreaker::config);
        Timeout timeout = instance(registries.timeouts(), id, group, forId, forGroup, byDefault,
                CloudCircuitBreakerConfig::timeoutConfig, properties.getTimeout(), Timeout::config);
        Bulkhead bulkhead = instance(registries.bulkheads(), id, group, forId, forGroup, byDefault,
                CloudCircuitBreakerConfig::bulkheadConfig, properties.getBulkhead(), Bulkhead::config);
        List<Policy> policies = new ArrayList<>(3);
        for (String kind : order) {
            Policy policy = switch (kind) {
                case "circuitbreaker" -> breaker;
                case "timeout" -> timeout;
                default -> bulkhead;
            };
            if (policy != null) {
                policies.add(policy);
            }
        }
        return List.copyOf(policies);
    }

    /** Where a config came from: decides whether the policy is composed and whether an existing instance may differ. */
    private enum Source { NONE, PROPERTIES, GROUP_PROPERTIES, CUSTOMIZER, DEFAULT }

    private static <P extends Policy, C> P instance(Registry<P, C> registry, String id, String group,
                                                    CloudCircuitBreakerConfig forId, CloudCircuitBreakerConfig forGroup,
                                                    CloudCircuitBreakerConfig byDefault,
                                                    Function<CloudCircuitBreakerConfig, C> select, Composition composition,
                                                    Function<P, C> configOf) {
        Source source;
        C config = null;
        if (registry.instanceConfigs().containsKey(id)) {
            source = Source.PROPERTIES;
        } else if ((config = select.apply(forId)) != null) {
            source = Source.CUSTOMIZER;
        } else if (group != null && (config = groupProperties(registry, group)) != null) {
            source = Source.GROUP_PROPERTIES;
        } else if ((config = select.apply(forGroup)) != null) {
            source = Source.CUSTOMIZER;
        } else if ((config = select.apply(byDefault)) != null) {
            source = Source.DEFAULT;
        } else {
            source = Source.NONE;
        }
        boolean composed = switch (composition) {
            case ALWAYS -> true;
            case CONFIGURED -> source != Source.NONE;
            case NEVER -> source == Source.CUSTOMIZER || source == Source.DEFAULT;
        };
        if (!composed) {
            return null;
        }
        if (config == null) {
            return registry.get(id);
        }
        P instance = registry.get(id, config);
        if ((source == Source.CUSTOMIZER || source == Source.GROUP_PROPERTIES) && configOf.apply(instance) != config) {
            throw new IllegalStateException("The " + registry.kind() + " '" + id + "' of a Spring Cloud circuit breaker"
                    + (group == null ? "" : " (group '" + group + "')") + " exists already with another config (created by an "
                    + "annotated method, or used before the factory's customizers ran), so the config set for it cannot apply. "
                    + "Configure it in 'resilience." + registry.kind() + ".instances." + id + "' instead, where every user of the "
                    + "instance sees it, or give the Spring Cloud circuit breaker an id of its own.");
        }
        return instance;
    }

    /** The group's settings from properties: an instance of that name, else a shared config of that name. */
    private static <C> C groupProperties(Registry<?, C> registry, String group) {
        C config = registry.instanceConfigs().get(group);
        if (config != null || Registry.DEFAULT_CONFIG.equals(group)) {
            return config;
        }
        return registry.config(group).orElse(null);
    }

    /** @return the circuit breaker among policies {@link #resolve} returned (there is always one) */
    static CircuitBreaker breaker(List<Policy> policies) {
        for (Policy policy : policies) {
            if (policy instanceof CircuitBreaker breaker) {
                return breaker;
            }
        }
        throw new IllegalStateException("no circuit breaker among " + policies);
    }
}

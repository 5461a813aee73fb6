package dev.resilience.spring.cloud;

import dev.resilience.Policy;
import dev.resilience.core.ShutdownGate;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the blocking and the reactive factory share (they extend different Spring Cloud base classes): one breaker per
 * id, created once from the configs that apply to it, and the customizers' {@code configure}/{@code configureDefault}.
 *
 * @param <B> the factory's breaker type
 */
final class CloudBreakers<B> {

    /** Builds a factory's breaker over the policies resolved for its id. */
    @FunctionalInterface
    interface Maker<B> {
        B make(String id, List<Policy> policies, ShutdownGate gate);
    }

    private final CloudPolicies policies;
    private final ShutdownGate gate;
    private final Maker<B> maker;
    private final String customizerType;
    private final ConcurrentHashMap<String, B> breakers = new ConcurrentHashMap<>();
    private volatile Function<String, CloudCircuitBreakerConfig> defaultConfiguration = id -> CloudCircuitBreakerConfig.fromProperties();

    /**
     * @param customizerType the factory's customizer type, named when {@code configure} comes too late
     */
    CloudBreakers(CloudPolicies policies, ShutdownGate gate, Maker<B> maker, String customizerType) {
        this.policies = policies;
        this.gate = gate;
        this.maker = maker;
        this.customizerType = customizerType;
    }

    B create(String id, String groupName, Map<String, CloudCircuitBreakerConfig> configurations) {
        Objects.requireNonNull(id, "id");
        B existing = breakers.get(id);
        if (existing != null) {
            return existing;
        }
        return breakers.computeIfAbsent(id, name -> maker.make(name, policies.resolve(name, groupName,
                configured(configurations, name),
                groupName == null ? CloudCircuitBreakerConfig.fromProperties() : configured(configurations, groupName),
                defaultConfig(name)), gate));
    }

    void configure(Consumer<CloudCircuitBreakerConfig.Builder> consumer, String[] ids,
                   Map<String, CloudCircuitBreakerConfig> configurations) {
        for (String id : ids) {
            if (breakers.containsKey(id)) {
                throw new IllegalStateException("Spring Cloud circuit breaker '" + id + "' was created before it was "
                        + "configured: configure it from a " + customizerType + " bean, which runs before any breaker "
                        + "is created.");
            }
            CloudCircuitBreakerConfig.Builder builder = builder(id);
            consumer.accept(builder);
            CloudCircuitBreakerConfig config = builder.build();
            policies.checkConfigurable(id, config);
            configurations.put(id, config);
        }
    }

    CloudCircuitBreakerConfig.Builder builder(String id) {
        return policies.builder(id);
    }

    void configureDefault(Function<String, CloudCircuitBreakerConfig> defaultConfiguration) {
        this.defaultConfiguration = Objects.requireNonNull(defaultConfiguration, "defaultConfiguration");
    }

    private static CloudCircuitBreakerConfig configured(Map<String, CloudCircuitBreakerConfig> configurations, String name) {
        return configurations.getOrDefault(name, CloudCircuitBreakerConfig.fromProperties());
    }

    private CloudCircuitBreakerConfig defaultConfig(String id) {
        return Objects.requireNonNull(defaultConfiguration.apply(id), "configureDefault's function returned null for '" + id + "'");
    }
}

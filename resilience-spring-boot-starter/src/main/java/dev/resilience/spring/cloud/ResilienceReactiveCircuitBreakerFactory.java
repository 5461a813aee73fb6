package dev.resilience.spring.cloud;

import dev.resilience.core.ShutdownGate;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Spring Cloud's {@link ReactiveCircuitBreakerFactory} over the starter's registries, with Reactor and
 * {@code resilience-reactor}: {@code create("inventory")} protects each subscription with the registry's circuit
 * breaker {@code inventory} (the one {@code @CircuitBreaker(name = "inventory")} and the blocking
 * {@link ResilienceCircuitBreakerFactory} use), and with the timeout and bulkhead of that name where composed.
 * Ids, groups, the composition of timeouts and bulkheads and the customizers
 * ({@code Customizer<ResilienceReactiveCircuitBreakerFactory>} beans) work exactly as for
 * {@link ResilienceCircuitBreakerFactory}; the two factories keep their customizers' configs apart, but share the
 * instances, so the first to create an instance decides its config.
 *
 * <p>Thread-safe. {@code create} returns the same breaker for an id every time.
 */
public final class ResilienceReactiveCircuitBreakerFactory
        extends ReactiveCircuitBreakerFactory<CloudCircuitBreakerConfig, CloudCircuitBreakerConfig.Builder> {

    private final CloudPolicies policies;
    private final ShutdownGate gate;
    private final ConcurrentHashMap<String, ResilienceReactiveCloudCircuitBreaker> breakers = new ConcurrentHashMap<>();
    private volatile Function<String, CloudCircuitBreakerConfig> defaultConfiguration = id -> CloudCircuitBreakerConfig.fromProperties();

    ResilienceReactiveCircuitBreakerFactory(CloudPolicies policies, ShutdownGate gate) {
        this.policies = policies;
        this.gate = gate;
    }

    @Override
    public ResilienceReactiveCloudCircuitBreaker create(String id) {
        return create(id, null);
    }

    @Override
    public ResilienceReactiveCloudCircuitBreaker create(String id, String groupName) {
        Objects.requireNonNull(id, "id");
        ResilienceReactiveCloudCircuitBreaker existing = breakers.get(id);
        if (existing != null) {
            return existing;
        }
        return breakers.computeIfAbsent(id, name -> new ResilienceReactiveCloudCircuitBreaker(name, policies.resolve(name, groupName,
                configured(name), groupName == null ? CloudCircuitBreakerConfig.fromProperties() : configured(groupName),
                defaultConfig(name)), gate));
    }

    private CloudCircuitBreakerConfig configured(String name) {
        return getConfigurations().getOrDefault(name, CloudCircuitBreakerConfig.fromProperties());
    }

    private CloudCircuitBreakerConfig defaultConfig(String id) {
        return Objects.requireNonNull(defaultConfiguration.apply(id), "configureDefault's function returned null for '" + id + "'");
    }

    /**
     * Sets the configs of the given ids (or groups) for breakers created from now on.
     *
     * @param consumer changes the builder of each id, which starts from the configs the properties give it
     * @param ids the ids or group names
     * @throws IllegalStateException if the properties configure a policy the consumer sets for an id, or the factory has
     *     created that id's breaker already
     */
    @Override
    public void configure(Consumer<CloudCircuitBreakerConfig.Builder> consumer, String... ids) {
        for (String id : ids) {
            if (breakers.containsKey(id)) {
                throw new IllegalStateException("Spring Cloud reactive circuit breaker '" + id + "' was created before it was "
                        + "configured: configure it from a Customizer<ResilienceReactiveCircuitBreakerFactory> bean, which runs "
                        + "before any breaker is created.");
            }
            CloudCircuitBreakerConfig.Builder builder = configBuilder(id);
            consumer.accept(builder);
            CloudCircuitBreakerConfig config = builder.build();
            policies.checkConfigurable(id, config);
            getConfigurations().put(id, config);
        }
    }

    @Override
    protected CloudCircuitBreakerConfig.Builder configBuilder(String id) {
        return policies.builder(id);
    }

    /**
     * @param defaultConfiguration gives, per id, the configs of breakers nothing else configures; applies to breakers
     *     created from now on
     */
    @Override
    public void configureDefault(Function<String, CloudCircuitBreakerConfig> defaultConfiguration) {
        this.defaultConfiguration = Objects.requireNonNull(defaultConfiguration, "defaultConfiguration");
    }
}

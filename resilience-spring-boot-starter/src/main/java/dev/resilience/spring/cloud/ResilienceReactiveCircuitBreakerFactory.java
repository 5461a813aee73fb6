package dev.resilience.spring.cloud;

import dev.resilience.core.ShutdownGate;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;

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

    private final CloudBreakers<ResilienceReactiveCloudCircuitBreaker> breakers;

    ResilienceReactiveCircuitBreakerFactory(CloudPolicies policies, ShutdownGate gate) {
        this.breakers = new CloudBreakers<>(policies, gate, ResilienceReactiveCloudCircuitBreaker::new, "Customizer<ResilienceReactiveCircuitBreakerFactory>");
    }

    @Override
    public ResilienceReactiveCloudCircuitBreaker create(String id) {
        return create(id, null);
    }

    @Override
    public ResilienceReactiveCloudCircuitBreaker create(String id, String groupName) {
        return breakers.create(id, groupName, getConfigurations());
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
        breakers.configure(consumer, ids, getConfigurations());
    }

    @Override
    protected CloudCircuitBreakerConfig.Builder configBuilder(String id) {
        return breakers.builder(id);
    }

    /**
     * @param defaultConfiguration gives, per id, the configs of breakers nothing else configures; applies to breakers
     *     created from now on
     */
    @Override
    public void configureDefault(Function<String, CloudCircuitBreakerConfig> defaultConfiguration) {
        breakers.configureDefault(defaultConfiguration);
    }
}

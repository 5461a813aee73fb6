package dev.resilience.spring.cloud;

import dev.resilience.core.ShutdownGate;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Spring Cloud's {@link CircuitBreakerFactory} over the starter's registries: {@code create("inventory")} returns a
 * breaker running on the registry's circuit breaker {@code inventory}, the very instance
 * {@code @CircuitBreaker(name = "inventory")} uses, configured by {@code resilience.circuitbreaker.instances.inventory}
 * (else the {@code default} config), and seen by the actuator, metrics and health like any other.
 *
 * <p><b>Timeout and bulkhead.</b> As Resilience4j's factory wraps a time limiter and a bulkhead, each breaker may run
 * its calls also within the {@code Timeout} and the (semaphore) {@code Bulkhead} of the same name:
 * by default ({@code spring.cloud.circuitbreaker.resilience.timeout=configured}, likewise {@code .bulkhead}) where
 * {@code resilience.timeout.instances.<id>} (or {@code resilience.bulkhead.instances.<id>}) exists or a customizer
 * sets that config; {@code always} composes them for every id (the {@code default} config where none is set);
 * {@code never} only where a customizer sets the config. They compose in the order {@code resilience.order} gives
 * (by default circuit breaker, then timeout, then bulkhead, outermost first: a timed-out call and a full bulkhead
 * count as failures of the breaker).
 *
 * <p><b>Groups.</b> {@code create(id, group)} (OpenFeign with {@code spring.cloud.openfeign.circuitbreaker.group.enabled})
 * creates the id's own instances; where the properties do not configure the id, they take the group's settings:
 * {@code resilience.<kind>.instances.<group>}, else the shared config {@code resilience.<kind>.configs.<group>}.
 *
 * <p><b>Customizers</b> ({@code Customizer<ResilienceCircuitBreakerFactory>} beans, applied when the factory is
 * created): {@link #configure(Consumer, String...)} sets configs for ids or groups through
 * {@link CloudCircuitBreakerConfig.Builder}, starting from what the properties give; {@link #configureDefault(Function)}
 * gives the configs of ids nothing else configures (it takes the place of the {@code default} config for the
 * factory's breakers). Where a config comes from, first that applies: the id's properties; {@code configure} for the id;
 * the group's properties; {@code configure} for the group; {@code configureDefault}; the {@code default} config.
 * A config is used when its instance is first created: configuring a name the properties configure fails, as does
 * {@code configure} for an id already created; an explicit config for an instance that already exists with another
 * config (an annotated method created it first) fails on {@code create}; {@code configureDefault} does not apply to
 * instances that exist already.
 *
 * <p>Thread-safe. {@code create} returns the same breaker for an id every time (the first call decides its group);
 * after the first, a call costs one map lookup, so callers that create per call (OpenFeign) pay nothing more.
 */
public final class ResilienceCircuitBreakerFactory
        extends CircuitBreakerFactory<CloudCircuitBreakerConfig, CloudCircuitBreakerConfig.Builder> {

    private final CloudBreakers<ResilienceCloudCircuitBreaker> breakers;

    ResilienceCircuitBreakerFactory(CloudPolicies policies, ShutdownGate gate) {
        this.breakers = new CloudBreakers<>(policies, gate, ResilienceCloudCircuitBreaker::new, "Customizer<ResilienceCircuitBreakerFactory>");
    }

    @Override
    public ResilienceCloudCircuitBreaker create(String id) {
        return create(id, null);
    }

    @Override
    public ResilienceCloudCircuitBreaker create(String id, String groupName) {
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

package dev.resilience.spring.cloud;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the starter's Spring Cloud {@code CircuitBreakerFactory} composes its circuit breakers, under Spring Cloud
 * CircuitBreaker's own prefix: {@code spring.cloud.circuitbreaker.resilience.*}. The circuit breakers, timeouts and
 * bulkheads themselves are configured where every other instance is: {@code resilience.<kind>.*}.
 */
@ConfigurationProperties(prefix = "spring.cloud.circuitbreaker.resilience")
public class SpringCloudCircuitBreakerProperties {

    /**
     * Whether the starter provides Spring Cloud's CircuitBreakerFactory (and ReactiveCircuitBreakerFactory with
     * Reactor) when Spring Cloud Commons is on the class path.
     */
    private boolean enabled = true;

    /**
     * When a circuit breaker of the factory also runs its call within the timeout of the same name (inside the
     * breaker, so that a timed-out call counts as a failure): 'configured' when 'resilience.timeout.instances.<id>'
     * (or a shared config or instance named after the breaker's group) exists or a customizer sets its config;
     * 'always' for every breaker (the default timeout config where none is set, as Resilience4j's factory always
     * composes a time limiter); 'never' (only where a customizer sets its config).
     */
    private Composition timeout = Composition.CONFIGURED;

    /**
     * When a circuit breaker of the factory also runs its call within the semaphore bulkhead of the same name:
     * 'configured' when 'resilience.bulkhead.instances.<id>' (or a shared config or instance named after the breaker's
     * group) exists or a customizer sets its config; 'always' for every breaker; 'never' (only where a customizer sets
     * its config).
     */
    private Composition bulkhead = Composition.CONFIGURED;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Composition getTimeout() {
        return timeout;
    }

    public void setTimeout(Composition timeout) {
        this.timeout = timeout;
    }

    public Composition getBulkhead() {
        return bulkhead;
    }

    public void setBulkhead(Composition bulkhead) {
        this.bulkhead = bulkhead;
    }

    /** When a policy beside the circuit breaker is composed into the factory's breakers. */
    public enum Composition {
        /** Only for ids (or groups) that have that policy configured, in properties or by a customizer. */
        CONFIGURED,
        /** For every id, with the default config where none is set. */
        ALWAYS,
        /** Never from properties: only for ids (or groups) whose config a customizer sets. */
        NEVER
    }
}

package dev.resilience.spring.cloud;

import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.timeout.TimeoutConfig;
import org.springframework.cloud.client.circuitbreaker.ConfigBuilder;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What a Spring Cloud customizer sets for one circuit breaker id (or group) of {@link ResilienceCircuitBreakerFactory}
 * and {@link ResilienceReactiveCircuitBreakerFactory}: the configs of the circuit breaker, timeout and bulkhead the
 * factory composes for it. A config left unset here comes from the {@code resilience.*} properties, as for an
 * annotated method.
 *
 * <pre>{@code
 * @Bean
 * Customizer<ResilienceCircuitBreakerFactory> inventoryBreaker() {
 *     return factory -> factory.configure(builder -> builder
 *             .circuitBreakerConfig(config -> config.slidingWindowSize(20).failureRateThreshold(25))
 *             .timeoutConfig(TimeoutConfig.builder().timeoutDuration(Duration.ofSeconds(2)).build()), "inventory");
 * }
 * }</pre>
 *
 * <p>A config set here is used when the factory first creates that instance; setting one for a name that
 * {@code resilience.<kind>.instances.<name>} already configures fails (one place per setting). A timeout or bulkhead
 * config set here also makes the factory compose that timeout or bulkhead for the id, whatever
 * {@code spring.cloud.circuitbreaker.resilience.timeout}/{@code .bulkhead} say.
 *
 * <p>Immutable and thread-safe.
 */
public final class CloudCircuitBreakerConfig {

    private static final CloudCircuitBreakerConfig NONE = new CloudCircuitBreakerConfig(null, null, null);

    private final CircuitBreakerConfig circuitBreaker;
    private final TimeoutConfig timeout;
    private final BulkheadConfig bulkhead;

    private CloudCircuitBreakerConfig(CircuitBreakerConfig circuitBreaker, TimeoutConfig timeout, BulkheadConfig bulkhead) {
        this.circuitBreaker = circuitBreaker;
        this.timeout = timeout;
        this.bulkhead = bulkhead;
    }

    /** @return a config that sets nothing: every policy as the properties configure it */
    public static CloudCircuitBreakerConfig fromProperties() {
        return NONE;
    }

    /**
     * @param circuitBreaker the circuit breaker's config
     * @return a config setting only the circuit breaker's config
     */
    public static CloudCircuitBreakerConfig of(CircuitBreakerConfig circuitBreaker) {
        return new CloudCircuitBreakerConfig(Objects.requireNonNull(circuitBreaker, "circuitBreaker"), null, null);
    }

    /** @return the circuit breaker's config, or {@code null} where the properties decide */
    public CircuitBreakerConfig circuitBreakerConfig() {
        return circuitBreaker;
    }

    /** @return the timeout's config (which also composes the timeout), or {@code null} where the properties decide */
    public TimeoutConfig timeoutConfig() {
        return timeout;
    }

    /** @return the bulkhead's config (which also composes the bulkhead), or {@code null} where the properties decide */
    public BulkheadConfig bulkheadConfig() {
        return bulkhead;
    }

    /**
     * The builder a customizer receives from {@code configure(...)}: Spring Cloud's {@link ConfigBuilder} for this
     * starter. The {@code UnaryOperator} forms start from the config the properties give the id, so a customizer
     * changes only what it names. Not thread-safe; used once, by one customizer call.
     */
    public static final class Builder implements ConfigBuilder<CloudCircuitBreakerConfig> {

        private final CircuitBreakerConfig propertiesCircuitBreaker;
        private final TimeoutConfig propertiesTimeout;
        private final BulkheadConfig propertiesBulkhead;
        private CircuitBreakerConfig circuitBreaker;
        private TimeoutConfig timeout;
        private BulkheadConfig bulkhead;

        Builder(CircuitBreakerConfig propertiesCircuitBreaker, TimeoutConfig propertiesTimeout, BulkheadConfig propertiesBulkhead) {
            this.propertiesCircuitBreaker = propertiesCircuitBreaker;
            this.propertiesTimeout = propertiesTimeout;
            this.propertiesBulkhead = propertiesBulkhead;
        }

        /**
         * @param config the circuit breaker's config
         * @return this builder
         */
        public Builder circuitBreakerConfig(CircuitBreakerConfig config) {
            this.circuitBreaker = Objects.requireNonNull(config, "circuitBreakerConfig");
            return this;
        }

        /**
         * @param change changes a builder that starts from the config the properties give this id
         * @return this builder
         */
        public Builder circuitBreakerConfig(UnaryOperator<CircuitBreakerConfig.Builder> change) {
            return circuitBreakerConfig(change.apply(propertiesCircuitBreaker.toBuilder()).build());
        }

        /**
         * Sets the timeout's config, and composes the timeout for this id.
         *
         * @param config the timeout's config
         * @return this builder
         */
        public Builder timeoutConfig(TimeoutConfig config) {
            this.timeout = Objects.requireNonNull(config, "timeoutConfig");
            return this;
        }

        /**
         * Sets the timeout's config, and composes the timeout for this id.
         *
         * @param change changes a builder that starts from the config the properties give this id
         * @return this builder
         */
        public Builder timeoutConfig(UnaryOperator<TimeoutConfig.Builder> change) {
            return timeoutConfig(change.apply(propertiesTimeout.toBuilder()).build());
        }

        /**
         * Sets the (semaphore) bulkhead's config, and composes the bulkhead for this id.
         *
         * @param config the bulkhead's config
         * @return this builder
         */
        public Builder bulkheadConfig(BulkheadConfig config) {
            this.bulkhead = Objects.requireNonNull(config, "bulkheadConfig");
            return this;
        }

        /**
         * Sets the (semaphore) bulkhead's config, and composes the bulkhead for this id.
         *
         * @param change changes a builder that starts from the config the properties give this id
         * @return this builder
         */
        public Builder bulkheadConfig(UnaryOperator<BulkheadConfig.Builder> change) {
            return bulkheadConfig(change.apply(propertiesBulkhead.toBuilder()).build());
        }

        @Override
        public CloudCircuitBreakerConfig build() {
            if (circuitBreaker == null && timeout == null && bulkhead == null) {
                return NONE;
            }
            return new CloudCircuitBreakerConfig(circuitBreaker, timeout, bulkhead);
        }
    }
}

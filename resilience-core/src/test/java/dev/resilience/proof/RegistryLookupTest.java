package dev.resilience.proof;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.Registry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Looking names up never creates instances, so unknown names from outside cannot grow a registry. */
class RegistryLookupTest {

    @Test
    void tenThousandLookupsOfUnknownNamesCreateNothing() {
        AtomicInteger created = new AtomicInteger();
        Registry<CircuitBreaker, CircuitBreakerConfig> registry = Registry.<CircuitBreaker, CircuitBreakerConfig>builder(
                CircuitBreaker.KIND, (name, config) -> {
                    created.incrementAndGet();
                    return CircuitBreaker.of(name, config);
                }, CircuitBreakerConfig.defaults()).build();
        registry.get("known");
        AtomicInteger added = new AtomicInteger();
        registry.onAdded(instance -> added.incrementAndGet());

        for (int i = 0; i < 10_000; i++) {
            assertThat(registry.find("unknown-" + i)).isEmpty();
        }

        assertThat(registry.size()).isEqualTo(1);
        assertThat(created).hasValue(1);
        assertThat(added).hasValue(0);
        assertThat(registry.find("known")).isPresent();
    }
}

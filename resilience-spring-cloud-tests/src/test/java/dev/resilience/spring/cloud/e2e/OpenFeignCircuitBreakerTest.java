package dev.resilience.spring.cloud.e2e;

import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.spring.ResilienceRegistries;
import feign.FeignException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An OpenFeign client with {@code spring.cloud.openfeign.circuitbreaker.enabled=true}, against a real downstream:
 * each method's circuit breaker is ours (configured here through its group's shared config), and once it opens the
 * fallback receives our {@link CallNotPermittedException}.
 */
class OpenFeignCircuitBreakerTest {

    /** The id Spring Cloud OpenFeign gives the breaker of {@link InventoryClient#stock} (alphanumeric ids by default). */
    private static final String BREAKER = "InventoryClientstockString";

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @EnableFeignClients(clients = InventoryClient.class)
    static class Application {

        @Bean
        InventoryClientFallbackFactory inventoryClientFallbackFactory() {
            return new InventoryClientFallbackFactory();
        }
    }

    private Downstream downstream;
    private ConfigurableApplicationContext context;

    @BeforeEach
    void start() throws Exception {
        downstream = new Downstream();
        context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE).properties(
                "downstream.url=" + downstream.url(),
                "spring.cloud.openfeign.circuitbreaker.enabled=true",
                "spring.cloud.openfeign.circuitbreaker.group.enabled=true",
                "resilience.circuitbreaker.configs.inventory-feign.sliding-window-size=2",
                "resilience.circuitbreaker.configs.inventory-feign.minimum-number-of-calls=2",
                "resilience.circuitbreaker.configs.inventory-feign.wait-duration-in-open-state=1h").run();
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
        downstream.close();
    }

    @Test
    void callsRunOnOurBreakerAndTheFallbackReceivesCallNotPermittedOnceItIsOpen() {
        InventoryClient inventory = context.getBean(InventoryClient.class);
        InventoryClientFallbackFactory fallbacks = context.getBean(InventoryClientFallbackFactory.class);
        downstream.status.set(200);
        assertThat(inventory.stock("A-1")).isEqualTo("A-1");

        downstream.status.set(503);
        assertThat(inventory.stock("A-2")).isEqualTo("fallback A-2");
        CircuitBreaker breaker = context.getBean(ResilienceRegistries.class).circuitBreakers().find(BREAKER).orElseThrow();
        assertThat(breaker.config().slidingWindowSize()).isEqualTo(2);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);

        assertThat(inventory.stock("A-3")).isEqualTo("fallback A-3");
        assertThat(downstream.requests).hasValue(2);
        assertThat(fallbacks.causes).hasSize(2);
        assertThat(fallbacks.causes.get(0)).isInstanceOf(FeignException.ServiceUnavailable.class);
        assertThat(fallbacks.causes.get(1)).isInstanceOf(CallNotPermittedException.class)
                .satisfies(cause -> assertThat(((CallNotPermittedException) cause).instanceName()).isEqualTo(BREAKER));
    }
}

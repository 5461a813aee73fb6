package dev.resilience.spring.cloud.e2e;

import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.spring.ResilienceRegistries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.circuitbreaker.httpservice.HttpServiceFallback;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An HTTP service group ({@code @HttpExchange} interface) with Spring Cloud's circuit-breaker configurer and
 * {@code @HttpServiceFallback}, against a real downstream: its calls run on our circuit breaker named after the group,
 * and once it opens the fallback receives our {@link CallNotPermittedException}.
 */
class HttpServiceGroupCircuitBreakerTest {

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @ImportHttpServices(group = "inventory", types = InventoryService.class)
    @HttpServiceFallback(value = InventoryServiceFallback.class, group = "inventory")
    static class Application {
    }

    private Downstream downstream;
    private ConfigurableApplicationContext context;

    @BeforeEach
    void start() throws Exception {
        InventoryServiceFallback.CAUSES.clear();
        downstream = new Downstream();
        context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE).properties(
                "spring.http.serviceclient.inventory.base-url=" + downstream.url(),
                "resilience.circuitbreaker.instances.inventory.sliding-window-size=2",
                "resilience.circuitbreaker.instances.inventory.minimum-number-of-calls=2",
                "resilience.circuitbreaker.instances.inventory.wait-duration-in-open-state=1h").run();
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
        downstream.close();
    }

    @Test
    void callsRunOnTheGroupsBreakerAndTheFallbackReceivesCallNotPermittedOnceItIsOpen() {
        InventoryService inventory = context.getBean(InventoryService.class);
        downstream.status.set(200);
        assertThat(inventory.stock("A-1")).isEqualTo("A-1");

        downstream.status.set(503);
        assertThat(inventory.stock("A-2")).isEqualTo("fallback A-2");
        CircuitBreaker breaker = context.getBean(ResilienceRegistries.class).circuitBreakers().find("inventory").orElseThrow();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);

        assertThat(inventory.stock("A-3")).isEqualTo("fallback A-3");
        assertThat(downstream.requests).hasValue(2);
        assertThat(InventoryServiceFallback.CAUSES).hasSize(2);
        assertThat(InventoryServiceFallback.CAUSES.get(0)).isInstanceOf(HttpServerErrorException.ServiceUnavailable.class);
        assertThat(InventoryServiceFallback.CAUSES.get(1)).isInstanceOf(CallNotPermittedException.class)
                .satisfies(cause -> assertThat(((CallNotPermittedException) cause).instanceName()).isEqualTo("inventory"));
        assertThat(breaker.metrics().notPermittedCalls()).isEqualTo(1);
    }
}

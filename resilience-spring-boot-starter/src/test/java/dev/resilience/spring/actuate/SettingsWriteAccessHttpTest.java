package dev.resilience.spring.actuate;

import dev.resilience.spring.ResilienceRegistries;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings writes are off unless write access is granted, as for the breaker's state changes. */
@SpringBootTest(classes = ObservabilityTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.endpoints.web.exposure.include=circuitbreakers,retries,bulkheads,ratelimiters,timeouts",
                "resilience.ratelimiter.instances.search.limit-for-period=10",
                "resilience.bulkhead.instances.orders.max-concurrent-calls=4",
                "resilience.retry.instances.payments.max-attempts=3",
                "resilience.circuitbreaker.instances.inventory.sliding-window-size=10",
                "resilience.thread-pool-bulkhead.instances.reports.queue-capacity=2",
                "resilience.timeout.instances.slow.timeout-duration=1s"
        })
class SettingsWriteAccessHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    ResilienceRegistries registries;

    @Test
    void writesAndDeletesAreRefusedWithoutWriteAccessAndChangeNothing() {
        HttpJson http = new HttpJson(port);

        assertThat(http.post("/actuator/ratelimiters/search", "{\"limitForPeriod\": 50}").statusCode()).isEqualTo(405);
        assertThat(http.post("/actuator/bulkheads/orders", "{\"maxConcurrentCalls\": 1}").statusCode()).isEqualTo(405);
        assertThat(http.post("/actuator/retries/payments", "{\"maxAttempts\": 9}").statusCode()).isEqualTo(405);
        assertThat(http.post("/actuator/circuitbreakers/inventory", "{\"slidingWindowSize\": 5}").statusCode()).isEqualTo(405);
        assertThat(http.delete("/actuator/ratelimiters/search").statusCode()).isEqualTo(405);
        assertThat(http.post("/actuator/bulkheads/reports", "{\"queueCapacity\": 9}").statusCode()).isEqualTo(405);
        assertThat(http.post("/actuator/timeouts/slow", "{\"timeoutDuration\": \"5s\"}").statusCode()).isEqualTo(405);
        assertThat(http.delete("/actuator/timeouts/slow").statusCode()).isEqualTo(405);

        assertThat(registries.rateLimiters().find("search").orElseThrow().config().limitForPeriod()).isEqualTo(10);
        assertThat(registries.bulkheads().find("orders").orElseThrow().config().maxConcurrentCalls()).isEqualTo(4);
        assertThat(registries.retries().find("payments").orElseThrow().config().maxAttempts()).isEqualTo(3);
        assertThat(registries.circuitBreakers().find("inventory").orElseThrow().config().slidingWindowSize()).isEqualTo(10);
        assertThat(registries.threadPoolBulkheads().find("reports").orElseThrow().config().queueCapacity()).isEqualTo(2);
        assertThat(registries.timeouts().find("slow").orElseThrow().config().timeoutDuration())
                .isEqualTo(java.time.Duration.ofSeconds(1));
        assertThat(http.get("/actuator/ratelimiters/search").statusCode()).isEqualTo(200);
        assertThat(http.get("/actuator/timeouts/slow").statusCode()).isEqualTo(200);
    }
}

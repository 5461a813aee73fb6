package dev.resilience.spring.actuate;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.RateLimited;
import dev.resilience.core.ManualClock;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static dev.resilience.spring.actuate.HttpJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A keyed instance over HTTP: one entry per instance with its key count, one key looked up with {@code ?key=}, meters
 * per instance (never a tag per key), and the events of its keys.
 */
@SpringBootTest(classes = {ObservabilityTestApplication.class, KeyedEndpointsHttpTest.Services.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.endpoints.web.exposure.include=metrics,bulkheads,ratelimiters,resilienceevents",
                "resilience.ratelimiter.instances.perTenant.limit-for-period=3",
                "resilience.ratelimiter.instances.perTenant.limit-refresh-period=1h",
                "resilience.ratelimiter.instances.perTenant.timeout-duration=0s",
                "resilience.ratelimiter.instances.perTenant.max-keys=50",
                "resilience.bulkhead.instances.perCustomer.max-concurrent-calls=2",
        })
class KeyedEndpointsHttpTest {

    static class TenantApi {
        @RateLimited(name = "perTenant", key = "#tenant")
        public String quote(String tenant) {
            return tenant;
        }

        @Bulkhead(name = "perCustomer", key = "#customer")
        public CompletableFuture<String> report(long customer, CompletableFuture<String> outcome) {
            return outcome;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Services {
        @Bean
        TenantApi tenantApi() {
            return new TenantApi();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    TenantApi api;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ManualClock clock;

    HttpJson http;

    @BeforeEach
    void client() {
        http = new HttpJson(port);
        // Each test starts in a fresh period for every tenant it uses.
        clock.advance(Duration.ofHours(2));
    }

    @Test
    void rateLimitersShowAKeyedInstanceWithItsKeyCountAndLookUpOneKey() {
        api.quote("acme-1");
        api.quote("acme-1");
        api.quote("globex-1");

        JsonNode instance = json(http.get("/actuator/ratelimiters/perTenant").body()).get("rateLimiters").get("perTenant");
        assertThat(instance.propertyNames()).containsExactly("limitForPeriod", "availablePermissions", "waitingCalls", "keys", "maxKeys");
        assertThat(instance.get("limitForPeriod").intValue()).isEqualTo(3);
        assertThat(instance.get("availablePermissions").intValue()).isEqualTo(-1);
        assertThat(instance.get("keys").intValue()).isGreaterThanOrEqualTo(2);
        assertThat(instance.get("maxKeys").intValue()).isEqualTo(50);
        assertThat(json(http.get("/actuator/ratelimiters").body()).get("rateLimiters").has("perTenant")).isTrue();

        JsonNode acme = json(http.get("/actuator/ratelimiters/perTenant?key=acme-1").body()).get("rateLimiters").get("perTenant");
        assertThat(acme.propertyNames()).containsExactly("limitForPeriod", "availablePermissions", "waitingCalls", "key");
        assertThat(acme.get("availablePermissions").intValue()).isEqualTo(1);
        assertThat(acme.get("key").asString()).isEqualTo("acme-1");
        assertThat(http.get("/actuator/ratelimiters/perTenant?key=nobody").statusCode()).isEqualTo(404);
    }

    @Test
    void bulkheadsShowAKeyedInstanceAndLookUpANonStringKey() {
        CompletableFuture<String> running = new CompletableFuture<>();
        api.report(42L, running);
        try {
            JsonNode instance = json(http.get("/actuator/bulkheads/perCustomer").body()).get("bulkheads").get("perCustomer");
            assertThat(instance.get("type").asString()).isEqualTo("SEMAPHORE");
            assertThat(instance.get("maxConcurrentCalls").intValue()).isEqualTo(2);
            assertThat(instance.get("availableConcurrentCalls").intValue()).isEqualTo(-1);
            assertThat(instance.get("keys").intValue()).isEqualTo(1);

            JsonNode customer = json(http.get("/actuator/bulkheads/perCustomer?key=42").body()).get("bulkheads").get("perCustomer");
            assertThat(customer.get("availableConcurrentCalls").intValue()).isEqualTo(1);
            assertThat(customer.get("key").asString()).isEqualTo("42");
        } finally {
            running.complete("done");
        }
    }

    @Test
    void metersArePerInstanceWithAGaugeOfKeysAndNoTagPerKey() {
        api.quote("initech-1");
        api.quote("initech-1");
        api.quote("initech-1");
        assertThatThrownBy(() -> api.quote("initech-1")).isInstanceOf(RequestNotPermittedException.class);

        double keys = meters.get("resilience.ratelimiter.keys").tag("name", "perTenant").gauge().value();
        assertThat(keys).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("resilience.ratelimiter.calls").tag("name", "perTenant").tag("outcome", "rejected")
                .functionCounter().count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.getMeters()).allSatisfy(meter ->
                assertThat(meter.getId().getTags()).noneMatch(tag -> tag.getValue().contains("initech")));

        JsonNode metric = json(http.get("/actuator/metrics/resilience.ratelimiter.keys?tag=name:perTenant").body());
        assertThat(metric.get("measurements").get(0).get("value").doubleValue()).isEqualTo(keys);
    }

    @Test
    void eventsOfEveryKeyAreBufferedUnderTheInstance() {
        api.quote("hooli-1");

        JsonNode events = json(http.get("/actuator/resilienceevents?kind=ratelimiter&name=perTenant").body()).get("events");
        assertThat(events.size()).isPositive();
        assertThat(events.get(events.size() - 1).get("type").asString()).isEqualTo("SUCCESSFUL_ACQUIRE");
    }
}

package dev.resilience.spring.dashboard;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.actuate.HttpJson;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The page and its data over real HTTP, enabled at a configured path, read-only or with breaker writes, or off. */
class DashboardHttpTest {

    @Nested
    @SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {
                    "resilience.dashboard.enabled=true",
                    "resilience.dashboard.path=/ops/resilience",
                    "resilience.dashboard.refresh-interval=250ms",
                    "management.endpoints.web.exposure.include=circuitbreakers,resilienceevents",
                    "management.endpoint.circuitbreakers.access=unrestricted",
                    "resilience.circuitbreaker.instances.inventory.failure-rate-threshold=40",
                    "resilience.circuitbreaker.instances.inventory.slow-call-rate-threshold=80",
                    "resilience.circuitbreaker.instances.inventory.minimum-number-of-calls=4",
                    "resilience.bulkhead.instances.inventory.max-concurrent-calls=3",
                    "resilience.ratelimiter.instances.orders.limit-for-period=7",
                    "resilience.retry.instances.shipping.max-attempts=5"
            })
    class EnabledWithWrites {

        @LocalServerPort
        int port;

        @Autowired
        ResilienceRegistries registries;

        @Test
        void thePageIsServedAtTheConfiguredPathWithItsScriptAndStyle() {
            HttpJson http = new HttpJson(port);

            HttpResponse<String> page = http.get("/ops/resilience/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
            assertThat(page.body()).contains("<script src=\"dashboard.js\">").contains("dashboard.css");

            HttpResponse<String> script = http.get("/ops/resilience/dashboard.js");
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("javascript"));
            assertThat(http.get("/ops/resilience/dashboard.css").statusCode()).isEqualTo(200);
        }

        @Test
        void theBarePathRedirectsToThePage() {
            HttpResponse<String> bare = new HttpJson(port).get("/ops/resilience");

            assertThat(bare.statusCode()).isEqualTo(302);
            assertThat(bare.headers().firstValue("Location")).hasValue("/ops/resilience/");
        }

        @Test
        void thePageReferencesNothingOutsideTheApplication() {
            HttpJson http = new HttpJson(port);
            String everything = http.get("/ops/resilience/").body() + http.get("/ops/resilience/dashboard.js").body()
                    + http.get("/ops/resilience/dashboard.css").body();

            assertThat(everything).doesNotContain("http://").doesNotContain("https://").doesNotContain("//cdn")
                    .doesNotContain("@import");
        }

        @Test
        void theSnapshotCarriesEveryInstanceWithTheSettingsThatScaleIt() {
            registries.circuitBreakers().get("inventory");
            registries.bulkheads().get("inventory");
            registries.rateLimiters().get("orders");
            registries.retries().get("shipping");

            JsonNode snapshot = HttpJson.json(new HttpJson(port).get("/ops/resilience/snapshot.json").body());

            assertThat(snapshot.get("refreshMillis").asLong()).isEqualTo(250);
            JsonNode breaker = named(snapshot.get("circuitBreakers"), "inventory");
            assertThat(breaker.get("state").asString()).isEqualTo("CLOSED");
            assertThat(breaker.get("failureRateThreshold").asDouble()).isEqualTo(40.0);
            assertThat(breaker.get("slowCallRateThreshold").asDouble()).isEqualTo(80.0);
            assertThat(breaker.get("minimumNumberOfCalls").asInt()).isEqualTo(4);
            assertThat(breaker.get("failureRate").asDouble()).isEqualTo(-1.0);
            JsonNode bulkhead = named(snapshot.get("bulkheads"), "inventory");
            assertThat(bulkhead.get("maxConcurrentCalls").asInt()).isEqualTo(3);
            assertThat(bulkhead.get("inUse").asInt()).isZero();
            assertThat(bulkhead.get("type").asString()).isEqualTo("SEMAPHORE");
            assertThat(named(snapshot.get("rateLimiters"), "orders").get("limitForPeriod").asInt()).isEqualTo(7);
            assertThat(named(snapshot.get("retries"), "shipping").get("maxAttempts").asInt()).isEqualTo(5);
        }

        @Test
        void theSnapshotCountsCallsAndRejectionsSinceCreation() throws Throwable {
            CircuitBreaker breaker = registries.circuitBreakers().get("counted");
            breaker.call(() -> "ok");
            breaker.call(() -> "ok");
            breaker.transitionToForcedOpenState();
            for (int i = 0; i < 3; i++) {
                try {
                    breaker.call(() -> "refused");
                } catch (RuntimeException expected) {
                    // CallNotPermittedException: what the tile counts as rejected
                }
            }

            JsonNode tile = named(HttpJson.json(new HttpJson(port).get("/ops/resilience/snapshot.json").body())
                    .get("circuitBreakers"), "counted");

            assertThat(tile.get("state").asString()).isEqualTo("FORCED_OPEN");
            assertThat(tile.get("calls").asLong()).isEqualTo(2);
            assertThat(tile.get("notPermittedCalls").asLong()).isEqualTo(3);
        }

        @Test
        void writesAreAllowedAndTheLinksPointAtTheActuator() {
            JsonNode actuator = HttpJson.json(new HttpJson(port).get("/ops/resilience/snapshot.json").body()).get("actuator");

            assertThat(actuator.get("writes").asBoolean()).isTrue();
            assertThat(actuator.get("circuitBreakers").asString()).isEqualTo("/actuator/circuitbreakers");
            assertThat(actuator.get("events").asString()).isEqualTo("/actuator/resilienceevents");
        }

        @Test
        void theSnapshotIsNeverCached() {
            assertThat(new HttpJson(port).get("/ops/resilience/snapshot.json").headers().firstValue("Cache-Control"))
                    .hasValue("no-store");
        }
    }

    @Nested
    @SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {
                    "resilience.dashboard.enabled=true",
                    "management.endpoints.web.exposure.include=circuitbreakers,resilienceevents"
            })
    class EnabledReadOnly {

        @LocalServerPort
        int port;

        @Test
        void writesAreNotAllowedWithTheEndpointsDefaultAccess() {
            HttpJson http = new HttpJson(port);

            assertThat(http.get("/resilience/dashboard/").statusCode()).isEqualTo(200);
            JsonNode actuator = HttpJson.json(http.get("/resilience/dashboard/snapshot.json").body()).get("actuator");
            assertThat(actuator.get("writes").asBoolean()).isFalse();
            assertThat(actuator.get("circuitBreakers").asString()).isEqualTo("/actuator/circuitbreakers");
        }
    }

    @Nested
    @SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = "management.endpoints.web.exposure.include=circuitbreakers,resilienceevents")
    class NotEnabled {

        @LocalServerPort
        int port;

        @Test
        void nothingIsServedAtTheDefaultPath() {
            HttpJson http = new HttpJson(port);

            assertThat(http.get("/resilience/dashboard/").statusCode()).isEqualTo(404);
            assertThat(http.get("/resilience/dashboard/snapshot.json").statusCode()).isEqualTo(404);
            assertThat(http.get("/resilience/dashboard/dashboard.js").statusCode()).isEqualTo(404);
        }
    }

    private static JsonNode named(JsonNode tiles, String name) {
        for (JsonNode tile : tiles) {
            if (tile.get("name").asString().equals(name)) {
                return tile;
            }
        }
        throw new AssertionError("No tile named " + name + " in " + tiles);
    }
}

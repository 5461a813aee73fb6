package dev.resilience.spring.actuate;

import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.retry.Retry;
import dev.resilience.spring.ResilienceRegistries;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.resilience.spring.actuate.HttpJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(classes = ObservabilityTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.endpoints.web.exposure.include=health,metrics,circuitbreakers,retries,bulkheads,ratelimiters,resilienceevents",
                "management.endpoint.health.show-details=always",
                "resilience.circuitbreaker.instances.inventory.sliding-window-size=2",
                "resilience.circuitbreaker.instances.inventory.minimum-number-of-calls=2",
                "resilience.circuitbreaker.instances.inventory.wait-duration-in-open-state=30s",
                "resilience.circuitbreaker.configs.strict.allow-health-indicator-to-fail=true",
                "resilience.circuitbreaker.instances.critical.base-config=strict",
                "resilience.retry.instances.payments.max-attempts=3",
                "resilience.retry.instances.payments.wait-duration=0s",
                "resilience.bulkhead.instances.orders.max-concurrent-calls=4",
                "resilience.thread-pool-bulkhead.instances.reports.core-thread-pool-size=1",
                "resilience.thread-pool-bulkhead.instances.reports.max-thread-pool-size=2",
                "resilience.thread-pool-bulkhead.instances.reports.queue-capacity=3",
                "resilience.ratelimiter.instances.search.limit-for-period=5",
                "resilience.ratelimiter.instances.search.limit-refresh-period=1h",
                "resilience.ratelimiter.instances.search.timeout-duration=0s",
                "resilience.events.buffer-size=3"
        })
class ActuatorEndpointsHttpTest {

    /** GETs of names no instance has, spread over {@link #SELECTOR_ENDPOINTS}. */
    private static final int UNKNOWN_NAME_LOOKUPS = 10_000;
    /** Lookups run on this many threads sharing one HTTP client: 10,000 one after the other take too long. */
    private static final int LOOKUP_THREADS = 4;
    /** The endpoints that look an instance up by name. */
    private static final List<String> SELECTOR_ENDPOINTS = List.of("circuitbreakers", "retries", "bulkheads", "ratelimiters");

    @LocalServerPort
    int port;

    @Autowired
    ResilienceRegistries registries;

    @Autowired
    MeterRegistry meters;

    HttpJson http;

    @BeforeEach
    void client() {
        http = new HttpJson(port);
    }

    @AfterEach
    void closeEveryBreakerAndRemoveTheOnesCreatedHere() {
        for (String name : List.of("audit", "ledger")) {
            registries.circuitBreakers().remove(name);
            registries.retries().remove(name);
        }
        registries.circuitBreakers().all().forEach(CircuitBreaker::reset);
    }

    @Test
    void circuitBreakersListEveryBreakerWithStateRatesAndCounts() {
        CircuitBreaker inventory = registries.circuitBreakers().find("inventory").orElseThrow();
        inventory.call(() -> "ok");
        assertThatThrownBy(() -> inventory.call(() -> { throw new IllegalStateException("down"); }))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> inventory.call(() -> "ok")).isInstanceOf(CallNotPermittedException.class);

        HttpResponse<String> response = http.get("/actuator/circuitbreakers");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode breakers = json(response.body()).get("circuitBreakers");
        assertThat(breakers.propertyNames()).containsExactly("critical", "inventory");
        JsonNode descriptor = breakers.get("inventory");
        assertThat(descriptor.propertyNames()).containsExactly("state", "failureRate", "slowCallRate", "bufferedCalls",
                "failedCalls", "slowCalls", "notPermittedCalls");
        assertThat(descriptor.get("state").asString()).isEqualTo("OPEN");
        assertThat(descriptor.get("failureRate").floatValue()).isEqualTo(50f);
        assertThat(descriptor.get("slowCallRate").floatValue()).isEqualTo(0f);
        assertThat(descriptor.get("bufferedCalls").longValue()).isEqualTo(2);
        assertThat(descriptor.get("failedCalls").longValue()).isEqualTo(1);
        assertThat(descriptor.get("slowCalls").longValue()).isEqualTo(0);
        assertThat(descriptor.get("notPermittedCalls").longValue()).isEqualTo(1);
        assertThat(breakers.get("critical").get("failureRate").floatValue()).isEqualTo(-1f);
        assertThat(breakers.get("critical").get("slowCallRate").floatValue()).isEqualTo(-1f);
    }

    @Test
    void oneCircuitBreakerByName() {
        HttpResponse<String> response = http.get("/actuator/circuitbreakers/critical");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode breakers = json(response.body()).get("circuitBreakers");
        assertThat(breakers.propertyNames()).containsExactly("critical");
        assertThat(breakers.get("critical").get("state").asString()).isEqualTo("CLOSED");
    }

    @Test
    void unknownNamesAre404AndNeverCreateAnInstance() throws Exception {
        List<Integer> sizesBefore = sizes();
        // One round first, so that the web request meters of these 404 answers (one per endpoint) exist before counting.
        for (String endpoint : SELECTOR_ENDPOINTS) {
            assertThat(http.get("/actuator/" + endpoint + "/warm-up").statusCode()).isEqualTo(404);
        }
        List<String> metersBefore = meterIds();

        Map<Integer, Integer> statuses = new TreeMap<>();
        ExecutorService lookups = Executors.newFixedThreadPool(LOOKUP_THREADS);
        try {
            List<Future<Map<Integer, Integer>>> parts = new ArrayList<>();
            for (int part = 0; part < LOOKUP_THREADS; part++) {
                int first = part * UNKNOWN_NAME_LOOKUPS / LOOKUP_THREADS;
                int end = (part + 1) * UNKNOWN_NAME_LOOKUPS / LOOKUP_THREADS;
                parts.add(lookups.submit(() -> lookUpUnknownNames(first, end)));
            }
            for (Future<Map<Integer, Integer>> part : parts) {
                part.get(1, TimeUnit.MINUTES).forEach((status, count) -> statuses.merge(status, count, Integer::sum));
            }
        } finally {
            lookups.shutdownNow();
        }

        assertThat(statuses).isEqualTo(Map.of(404, UNKNOWN_NAME_LOOKUPS));
        assertThat(sizes()).isEqualTo(sizesBefore);
        assertThat(meterIds()).as("meters after %d unknown names", UNKNOWN_NAME_LOOKUPS).isEqualTo(metersBefore);
    }

    /** Lookups number {@code first} (inclusive) to {@code end} (exclusive), each a new name on the next endpoint. */
    private Map<Integer, Integer> lookUpUnknownNames(int first, int end) {
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = first; i < end; i++) {
            String endpoint = SELECTOR_ENDPOINTS.get(i % SELECTOR_ENDPOINTS.size());
            statuses.merge(http.get("/actuator/" + endpoint + "/unknown-" + i).statusCode(), 1, Integer::sum);
        }
        return statuses;
    }

    @Test
    void retriesShowOutcomesByRetryOrNot() {
        Retry payments = registries.retries().find("payments").orElseThrow();
        payments.call(() -> "first time");
        AtomicInteger attempts = new AtomicInteger();
        payments.call(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("flaky");
            }
            return "third time";
        });

        JsonNode retries = json(http.get("/actuator/retries").body()).get("retries");

        JsonNode descriptor = retries.get("payments");
        assertThat(descriptor.propertyNames()).containsExactly("successfulCallsWithoutRetry", "successfulCallsWithRetry",
                "failedCallsWithoutRetry", "failedCallsWithRetry", "retriesRefusedByBudget", "budgetRemaining");
        assertThat(descriptor.get("budgetRemaining").longValue()).isEqualTo(-1);
        assertThat(descriptor.get("successfulCallsWithoutRetry").longValue()).isEqualTo(1);
        assertThat(descriptor.get("successfulCallsWithRetry").longValue()).isEqualTo(1);
        assertThat(descriptor.get("failedCallsWithoutRetry").longValue()).isEqualTo(0);
        assertThat(descriptor.get("failedCallsWithRetry").longValue()).isEqualTo(0);
    }

    @Test
    void bulkheadsShowSemaphoreAndThreadPoolTypes() {
        JsonNode bulkheads = json(http.get("/actuator/bulkheads").body()).get("bulkheads");

        assertThat(bulkheads.propertyNames()).containsExactly("orders", "reports");
        assertThat(bulkheads.get("orders").propertyNames()).containsExactly("type", "maxConcurrentCalls", "availableConcurrentCalls");
        assertThat(bulkheads.get("orders").get("type").asString()).isEqualTo("SEMAPHORE");
        assertThat(bulkheads.get("orders").get("maxConcurrentCalls").intValue()).isEqualTo(4);
        assertThat(bulkheads.get("orders").get("availableConcurrentCalls").intValue()).isEqualTo(4);
        assertThat(bulkheads.get("reports").get("type").asString()).isEqualTo("THREADPOOL");
        assertThat(bulkheads.get("reports").get("maxConcurrentCalls").intValue()).isEqualTo(5);
        assertThat(bulkheads.get("reports").get("availableConcurrentCalls").intValue()).isEqualTo(5);
        assertThat(http.get("/actuator/bulkheads/reports").statusCode()).isEqualTo(200);
    }

    @Test
    void rateLimitersShowPermits() {
        RateLimiter search = registries.rateLimiters().find("search").orElseThrow();
        search.acquirePermission();
        search.acquirePermission();

        JsonNode descriptor = json(http.get("/actuator/ratelimiters/search").body()).get("rateLimiters").get("search");

        assertThat(descriptor.propertyNames()).containsExactly("limitForPeriod", "availablePermissions", "waitingCalls");
        assertThat(descriptor.get("limitForPeriod").intValue()).isEqualTo(5);
        assertThat(descriptor.get("availablePermissions").intValue()).isEqualTo(3);
        assertThat(descriptor.get("waitingCalls").intValue()).isEqualTo(0);
    }

    @Test
    void eventsOfAnInstanceCreatedAfterStartUpAreNewestLastAndBounded() {
        CircuitBreaker audit = registries.circuitBreakers().get("audit");
        audit.call(() -> "one");
        audit.transitionToForcedOpenState();
        assertThatThrownBy(() -> audit.call(() -> "two")).isInstanceOf(CallNotPermittedException.class);
        audit.transitionToDisabledState();
        callFailingWithAnError(registries.retries().get("audit"));

        HttpResponse<String> response = http.get("/actuator/resilienceevents?kind=circuitbreaker&name=audit");

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> types = new ArrayList<>();
        json(response.body()).get("events").forEach(event -> types.add(event.get("type").asString()));
        // buffer-size=3: SUCCESS fell out; the newest three remain, newest last.
        assertThat(types).containsExactly("STATE_TRANSITION", "NOT_PERMITTED", "STATE_TRANSITION");
        JsonNode last = json(response.body()).get("events").get(2);
        assertThat(last.get("kind").asString()).isEqualTo("circuitbreaker");
        assertThat(last.get("name").asString()).isEqualTo("audit");
        assertThat(last.get("from").asString()).isEqualTo("FORCED_OPEN");
        assertThat(last.get("to").asString()).isEqualTo("DISABLED");
        assertThat(last.get("time").asString()).isEqualTo("2026-01-01T00:00:00Z");
    }

    @Test
    void eventsFilterByNameAcrossKindsNewestLast() {
        registries.circuitBreakers().get("ledger").call(() -> "ok");
        callFailingWithAnError(registries.retries().get("ledger"));

        JsonNode byName = json(http.get("/actuator/resilienceevents?name=ledger").body()).get("events");
        JsonNode byKindAndName = json(http.get("/actuator/resilienceevents?kind=retry&name=ledger").body()).get("events");

        assertThat(byName).hasSize(2);
        assertThat(byName.get(0).get("kind").asString()).isEqualTo("circuitbreaker");
        assertThat(byName.get(0).get("type").asString()).isEqualTo("SUCCESS");
        assertThat(byName.get(1).get("kind").asString()).isEqualTo("retry");
        assertThat(byName.get(1).get("type").asString()).isEqualTo("IGNORED_ERROR");
        assertThat(byKindAndName).hasSize(1);
        assertThat(byKindAndName.get(0).get("type").asString()).isEqualTo("IGNORED_ERROR");
    }

    /** An Error is never retried: one attempt, one IGNORED_ERROR event, no backoff on the manual clock. */
    private static void callFailingWithAnError(Retry retry) {
        assertThatThrownBy(() -> retry.call(() -> { throw new AssertionError("not retried"); }))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void writeOperationsAreRefusedByDefault() {
        HttpResponse<String> response = http.post("/actuator/circuitbreakers/critical", "{\"state\": \"FORCED_OPEN\"}");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(registries.circuitBreakers().find("critical").orElseThrow().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void anOpenBreakerReportsCircuitOpenWithoutFailingHealth() {
        registries.circuitBreakers().find("inventory").orElseThrow().transitionToOpenState();

        HttpResponse<String> response = http.get("/actuator/health");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = json(response.body());
        assertThat(health.get("status").asString()).isEqualTo("UP");
        JsonNode breakers = health.get("components").get("circuitBreakers");
        assertThat(breakers.get("status").asString()).isEqualTo("CIRCUIT_OPEN");
        assertThat(breakers.get("details").get("inventory").get("state").asString()).isEqualTo("OPEN");
        assertThat(breakers.get("details").get("critical").get("state").asString()).isEqualTo("CLOSED");
    }

    @Test
    void aBreakerAllowedToFailReportsDownWhenOpen() {
        registries.circuitBreakers().find("critical").orElseThrow().transitionToOpenState();

        HttpResponse<String> response = http.get("/actuator/health");

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode health = json(response.body());
        assertThat(health.get("status").asString()).isEqualTo("DOWN");
        assertThat(health.get("components").get("circuitBreakers").get("status").asString()).isEqualTo("DOWN");
    }

    @Test
    void meterBinderIsBoundToTheApplicationsMeterRegistry() {
        HttpResponse<String> response = http.get("/actuator/metrics/resilience.circuitbreaker.state?tag=name:critical&tag=state:CLOSED");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).get("measurements").get(0).get("value").doubleValue()).isEqualTo(1.0);
    }

    /**
     * @return every meter's name and tags, sorted, so that a difference names the meter; without the {@code jvm.gc.*}
     *     meters, which Micrometer registers on the first GC of each kind, whenever the JVM happens to collect
     */
    private List<String> meterIds() {
        return meters.getMeters().stream().map(meter -> meter.getId().getName() + meter.getId().getTags())
                .filter(id -> !id.startsWith("jvm.gc.")).sorted().toList();
    }

    private List<Integer> sizes() {
        return List.of(registries.circuitBreakers().size(), registries.retries().size(), registries.bulkheads().size(),
                registries.threadPoolBulkheads().size(), registries.rateLimiters().size());
    }
}

package dev.resilience.sample;

import dev.resilience.core.ManualClock;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.test.spring.ResilienceTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.resilience.sample.Http.json;
import static dev.resilience.test.ResilienceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's story over real HTTP, one behaviour per test, with the application's own configuration. The policies
 * read a {@link ManualClock} ({@link ResilienceTest}), so open-state waits, backoffs and timeouts pass when a test
 * moves the clock, and every breaker, limiter and retry starts each test afresh.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ResilienceTest
class OrderServiceEndToEndTest {

    private static final String QUOTE = "/orders/quote?sku=ABC-1";
    private static final String BREAK = "{\"failureRate\":1.0}";

    @LocalServerPort
    int port;

    @Autowired
    ManualClock clock;

    @Autowired
    ResilienceRegistries registries;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @AfterEach
    void healEverything() {
        http.delete("/chaos");
    }

    @Test
    void aHealthyQuoteUsesEveryDownstream() {
        HttpResponse<String> response = http.get("/orders/quote?sku=ABC-1&quantity=2");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode quote = json(response.body());
        assertThat(quote.get("inStock").asBoolean()).isTrue();
        assertThat(quote.get("unitPriceCents").asLong()).isEqualTo(1999);
        assertThat(quote.get("priceSource").asString()).isEqualTo("live");
        assertThat(quote.get("totalCents").asLong()).isEqualTo(3998);
        assertThat(quote.get("shippingDays").asInt()).isEqualTo(2);
    }

    @Test
    void aFailingInventoryAnswers502UntilTheBreakerOpens() {
        http.post("/chaos/inventory", BREAK);

        assertThat(statusesOf(4, QUOTE)).containsExactly(502, 502, 502, 502);
        assertThat(registries.circuitBreakers().get("inventory")).isOpen();
    }

    @Test
    void anOpenBreakerAnswers503ProblemWithRetryAfter() {
        openInventoryBreaker();

        HttpResponse<String> response = http.get(QUOTE);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        JsonNode problem = json(response.body());
        assertThat(problem.get("instanceName").asString()).isEqualTo("inventory");
        assertThat(problem.get("kind").asString()).isEqualTo("circuitbreaker");
        assertThat(problem.get("status").asInt()).isEqualTo(503);
    }

    @Test
    void aHealedInventoryClosesTheBreakerAfterTheOpenStateWaitAndTwoTrials() {
        openInventoryBreaker();
        http.delete("/chaos");
        clock.advance(Duration.ofSeconds(5));

        assertThat(http.get(QUOTE).statusCode()).isEqualTo(200);
        assertThat(registries.circuitBreakers().get("inventory")).isHalfOpen();
        assertThat(http.get(QUOTE).statusCode()).isEqualTo(200);

        assertThat(registries.circuitBreakers().get("inventory")).isClosed();
    }

    @Test
    void theEventsEndpointShowsTheBreakersTransitions() {
        openInventoryBreaker();
        http.delete("/chaos");
        clock.advance(Duration.ofSeconds(5));
        http.get(QUOTE);
        http.get(QUOTE);

        HttpResponse<String> response = http.get("/actuator/resilienceevents?kind=circuitbreaker&name=inventory");

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> transitions = new ArrayList<>();
        for (JsonNode event : json(response.body()).get("events")) {
            if (event.get("type").asString().equals("STATE_TRANSITION")) {
                transitions.add(event.get("from").asString() + "->" + event.get("to").asString());
            }
        }
        assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    }

    @Test
    void aFailingPricingDegradesQuotesToTheListPriceAndOpensItsBreaker() {
        http.post("/chaos/pricing", BREAK);

        List<String> sources = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = http.get(QUOTE);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response.body()).get("unitPriceCents").asLong()).isEqualTo(2499);
            sources.add(json(response.body()).get("priceSource").asString());
        }

        assertThat(sources).containsOnly("list-price");
        assertThat(registries.circuitBreakers().get("pricing")).isOpen();
    }

    @Test
    void aRetrySucceedsAfterTwoTransientShippingFailures() throws Exception {
        http.post("/chaos/shipping", "{\"failNext\":2}");

        HttpResponse<String> response = whileTimePasses(http.getAsync(QUOTE));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(registries.retries().get("shipping")).hasSuccessfulCallsWithRetry(1);
        assertThat(json(http.get("/chaos/shipping").body()).get("failNext").asInt()).isZero();
    }

    @Test
    void aHangingShippingAnswers504AfterTheTimeout() throws Exception {
        http.post("/chaos/shipping", "{\"hang\":true}");

        HttpResponse<String> response = whileTimePasses(http.getAsync(QUOTE));

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(json(response.body()).get("instanceName").asString()).isEqualTo("shipping");
        assertThat(json(response.body()).get("kind").asString()).isEqualTo("timeout");
    }

    @Test
    void aFullInventoryBulkheadAnswers503WhileTheOtherCallsComplete() throws Exception {
        http.post("/chaos/inventory", "{\"latencyMs\":1500}");
        CompletableFuture<HttpResponse<String>> first = http.getAsync(QUOTE);
        CompletableFuture<HttpResponse<String>> second = http.getAsync(QUOTE);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> json(http.get("/chaos/inventory").body()).get("inFlight").asInt() == 2);

        HttpResponse<String> rejected = http.get(QUOTE);

        assertThat(rejected.statusCode()).isEqualTo(503);
        assertThat(json(rejected.body()).get("kind").asString()).isEqualTo("bulkhead");
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(registries.circuitBreakers().get("inventory")).as("a full bulkhead is not an inventory failure")
                .isClosed().hasBufferedCalls(2);
    }

    @Test
    void theFourthOrderWithinAMinuteAnswers429WithRetryAfter() {
        String order = "{\"sku\":\"ABC-1\",\"quantity\":2}";
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(http.post("/orders", order).statusCode());
        }

        HttpResponse<String> limited = http.post("/orders", order);

        assertThat(statuses).containsExactly(201, 201, 201);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(json(limited.body()).get("instanceName").asString()).isEqualTo("orders");
    }

    @Test
    void aChaosSettingOutOfRangeIsRefusedNamingTheSetting() {
        HttpResponse<String> response = http.post("/chaos/inventory", "{\"failureRate\":1.5}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).get("detail").asString()).isEqualTo("failureRate is 1.5 but must be from 0.0 to 1.0");
    }

    @Test
    void aQuoteForNoUnitsIs400NamingTheRule() {
        HttpResponse<String> response = http.get("/orders/quote?sku=ABC-1&quantity=0");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).get("detail").asString()).isEqualTo("quantity is 0 but must be at least 1");
    }

    @Test
    void anUnknownDownstreamIs404() {
        assertThat(http.post("/chaos/payments", BREAK).statusCode()).isEqualTo(404);
    }

    private void openInventoryBreaker() {
        http.post("/chaos/inventory", BREAK);
        statusesOf(4, QUOTE);
        assertThat(registries.circuitBreakers().get("inventory")).isOpen();
    }

    /** Moves the clock in small steps, no faster than real time, until the response is in: backoffs pass. */
    private HttpResponse<String> whileTimePasses(CompletableFuture<HttpResponse<String>> response) throws Exception {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            clock.advance(Duration.ofMillis(100));
            return response.isDone();
        });
        return response.get();
    }

    private List<Integer> statusesOf(int calls, String path) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            statuses.add(http.get(path).statusCode());
        }
        return statuses;
    }
}

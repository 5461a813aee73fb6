package dev.resilience.spring.web;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.core.ManualClock;
import dev.resilience.spring.actuate.HttpJson;
import dev.resilience.spring.ResilienceRegistries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.resilience.spring.actuate.HttpJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(classes = WebTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "resilience.circuitbreaker.instances.inventory.wait-duration-in-open-state=30s",
                "resilience.ratelimiter.instances.search.limit-for-period=1",
                "resilience.ratelimiter.instances.search.limit-refresh-period=10s",
                "resilience.ratelimiter.instances.search.timeout-duration=0s",
                "resilience.bulkhead.instances.orders.max-concurrent-calls=1",
                "resilience.bulkhead.instances.orders.max-wait-duration=0s",
                "resilience.timeout.instances.slow.timeout-duration=2s"
        })
class ProblemDetailsHttpTest {

    private static final long PERIOD_NANOS = Duration.ofSeconds(10).toNanos();

    @LocalServerPort
    int port;

    @Autowired
    ResilienceRegistries registries;

    @Autowired
    ManualClock clock;

    @Autowired
    RejectingService service;

    HttpJson http;

    @BeforeEach
    void client() {
        http = new HttpJson(port);
    }

    @AfterEach
    void release() {
        service.release();
        registries.circuitBreakers().all().forEach(CircuitBreaker::reset);
    }

    @Test
    void anOpenCircuitIs503WithRetryAfterRoundedUp() {
        registries.circuitBreakers().find("inventory").orElseThrow().transitionToOpenState();
        clock.advance(Duration.ofMillis(500));

        HttpResponse<String> response = http.get("/inventory");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode body = json(response.body());
        assertThat(body.get("status").intValue()).isEqualTo(503);
        assertThat(body.get("title").asString()).isEqualTo("Circuit breaker open");
        assertThat(body.get("detail").asString()).isEqualTo("CircuitBreaker 'inventory' is OPEN and does not permit calls");
        assertThat(body.get("instanceName").asString()).isEqualTo("inventory");
        assertThat(body.get("kind").asString()).isEqualTo("circuitbreaker");
        assertThat(body.get("instance").asString()).isEqualTo("/inventory");
        assertThat(response.body()).doesNotContain("trace").doesNotContain("at dev.resilience");
    }

    @Test
    void aRejectionCompletingAnAsynchronousControllerResultIsMappedToo() {
        registries.circuitBreakers().get("asyncInventory").transitionToForcedOpenState();

        HttpResponse<String> response = http.get("/async-inventory");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response.body()).get("instanceName").asString()).isEqualTo("asyncInventory");
    }

    @Test
    void aForcedOpenCircuitIs503WithoutRetryAfter() {
        registries.circuitBreakers().find("inventory").orElseThrow().transitionToForcedOpenState();

        HttpResponse<String> response = http.get("/inventory");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void aRateLimitIs429WithTheWaitForTheNextPeriod() {
        // Start a fresh period (the limiter's periods count from start-up, when the clock read 0).
        clock.advanceNanos(PERIOD_NANOS - clock.nanoTime() % PERIOD_NANOS);
        assertThat(http.get("/search").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMillis(1500));

        HttpResponse<String> response = http.get("/search");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("9");
        JsonNode body = json(response.body());
        assertThat(body.get("title").asString()).isEqualTo("Rate limit exceeded");
        assertThat(body.get("instanceName").asString()).isEqualTo("search");
    }

    @Test
    void aFullBulkheadIs503() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Bulkhead orders = registries.bulkheads().find("orders").orElseThrow();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        Future<Boolean> holder = executor.submit(() -> orders.call(() -> {
            entered.countDown();
            return leave.await(10, TimeUnit.SECONDS);
        }));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            HttpResponse<String> response = http.get("/orders");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isEmpty();
            assertThat(json(response.body()).get("title").asString()).isEqualTo("Bulkhead full");
            assertThat(json(response.body()).get("instanceName").asString()).isEqualTo("orders");
        } finally {
            leave.countDown();
            holder.get(10, TimeUnit.SECONDS);
            executor.shutdown();
        }
    }

    @Test
    void aTimeoutIs504() throws Exception {
        service.hold();
        int pendingBefore = clock.pendingTasks();
        CompletableFuture<HttpResponse<String>> pending = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> clock.pendingTasks() > pendingBefore);

        clock.advance(Duration.ofSeconds(2));
        HttpResponse<String> response = pending.get(10, TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(json(response.body()).get("title").asString()).isEqualTo("Timeout exceeded");
        assertThat(json(response.body()).get("instanceName").asString()).isEqualTo("slow");
    }

    @Test
    void shuttingDownIs503() {
        HttpResponse<String> response = http.get("/stopping");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response.body()).get("title").asString()).isEqualTo("Shutting down");
        assertThat(json(response.body()).get("instanceName").asString()).isEqualTo("reports");
    }
}

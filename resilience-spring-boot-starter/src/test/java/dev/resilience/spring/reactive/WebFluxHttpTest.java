package dev.resilience.spring.reactive;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.core.ManualClock;
import dev.resilience.spring.ResilienceRegistries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A WebFlux application over a real server: rejections of annotated methods returning {@code Mono} become problem
 * details with {@code Retry-After}, and the deadline header is read from requests and sent by Boot's WebClient.
 */
@SpringBootTest(classes = WebFluxTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.main.web-application-type=reactive",
                "resilience.circuitbreaker.instances.inventory.wait-duration-in-open-state=30s",
                "resilience.ratelimiter.instances.search.limit-for-period=1",
                "resilience.ratelimiter.instances.search.limit-refresh-period=10s",
                "resilience.ratelimiter.instances.search.timeout-duration=0s",
                "resilience.bulkhead.instances.orders.max-concurrent-calls=1",
                "resilience.bulkhead.instances.orders.max-wait-duration=0s",
                "resilience.timeout.instances.slow.timeout-duration=1s",
                "resilience.timeout.instances.long.timeout-duration=10s"
        })
class WebFluxHttpTest {

    private static final String DEADLINE = "Resilience-Deadline-Remaining-Ms";

    @LocalServerPort
    int port;

    @Autowired
    ResilienceRegistries registries;

    @Autowired
    ManualClock clock;

    @Autowired
    WebFluxTestApplication.Service service;

    WebTestClient http;

    @BeforeEach
    void client() {
        http = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void reset() {
        service.releaseOrders();
        registries.circuitBreakers().all().forEach(CircuitBreaker::reset);
    }

    private CompletableFuture<ResponseEntity<String>> sendLater(String path) {
        return WebClient.create("http://localhost:" + port).get().uri(path)
                .exchangeToMono(response -> response.toEntity(String.class)).toFuture();
    }

    @Test
    void anOpenCircuitIs503WithRetryAfter() {
        registries.circuitBreakers().find("inventory").orElseThrow().transitionToOpenState();

        http.get().uri("/inventory").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "30")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("Circuit breaker open")
                .jsonPath("$.instanceName").isEqualTo("inventory")
                .jsonPath("$.kind").isEqualTo("circuitbreaker")
                .jsonPath("$.trace").doesNotExist();
    }

    @Test
    void aClosedCircuitAnswersNormally() {
        http.get().uri("/inventory").exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("stock");
    }

    @Test
    void aRateLimitIs429WithRetryAfter() {
        http.get().uri("/search").exchange().expectStatus().isOk();

        http.get().uri("/search").exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().value("Retry-After", value -> assertThat(Long.parseLong(value)).isBetween(1L, 10L))
                .expectBody()
                .jsonPath("$.title").isEqualTo("Rate limit exceeded")
                .jsonPath("$.instanceName").isEqualTo("search");
    }

    @Test
    void aFullBulkheadIs503WhileTheFirstSubscriptionHoldsItsPermit() throws Exception {
        service.holdOrders();
        CompletableFuture<ResponseEntity<String>> first = sendLater("/orders");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> registries.bulkheads().get("orders").metrics().availableConcurrentCalls() == 0);

        http.get().uri("/orders").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.title").isEqualTo("Bulkhead full");

        service.releaseOrders();
        assertThat(first.get(5, TimeUnit.SECONDS).getBody()).isEqualTo("orders");
        assertThat(registries.bulkheads().get("orders").metrics().availableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void aMonoThatNeverAnswersIs504WhenItsTimeoutPasses() throws Exception {
        int before = service.slowSubscriptions();
        CompletableFuture<ResponseEntity<String>> response = sendLater("/slow");
        await().atMost(Duration.ofSeconds(5)).until(() -> service.slowSubscriptions() == before + 1);

        clock.advance(Duration.ofSeconds(1));

        ResponseEntity<String> answer = response.get(5, TimeUnit.SECONDS);
        assertThat(answer.getStatusCode().value()).isEqualTo(504);
        assertThat(answer.getBody()).contains("\"title\":\"Timeout exceeded\"").contains("\"instanceName\":\"slow\"");
    }

    @Test
    void theDeadlineHeaderOfARequestIsTheDeadlineAnnotatedMethodsRunWithin() {
        http.get().uri("/remaining").header(DEADLINE, "5000").exchange()
                .expectStatus().isOk().expectBody(String.class).isEqualTo("5000");
        // Without it, the method's own timeout is the only deadline.
        http.get().uri("/remaining").exchange()
                .expectStatus().isOk().expectBody(String.class).isEqualTo("10000");
    }

    @Test
    void bootsWebClientSendsTheRequestsDeadlineOnwards() {
        http.get().uri("/forward").header(DEADLINE, "3000").header("X-Port", Integer.toString(port)).exchange()
                .expectStatus().isOk().expectBody(String.class).isEqualTo("3000");
    }

    @Test
    void bootsWebClientSendsNoHeaderWithoutADeadline() {
        http.get().uri("/forward").header("X-Port", Integer.toString(port)).exchange()
                .expectStatus().isOk().expectBody(String.class).isEqualTo("none");
    }
}

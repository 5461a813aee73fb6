package dev.resilience.spring.web;

import dev.resilience.core.ManualClock;
import dev.resilience.spring.actuate.HttpJson;
import dev.resilience.spring.ResilienceRegistries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** An application's catch-all handlers (for {@code Exception}, {@code RuntimeException}, {@code Throwable}) do not turn rejections into 500s. */
@SpringBootTest(classes = CatchAllAdviceHttpTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "resilience.circuitbreaker.instances.inventory.wait-duration-in-open-state=30s")
class CatchAllAdviceHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    ResilienceRegistries registries;

    @AfterEach
    void close() {
        registries.circuitBreakers().all().forEach(dev.resilience.circuitbreaker.CircuitBreaker::reset);
    }

    @Test
    void anOpenCircuitStaysA503WithRetryAfterDespiteAnUnorderedCatchAll() {
        registries.circuitBreakers().find("inventory").orElseThrow().transitionToOpenState();

        HttpResponse<String> response = new HttpJson(port).get("/inventory");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(HttpJson.json(response.body()).get("title").asString()).isEqualTo("Circuit breaker open");
    }

    @Test
    void shuttingDownStaysA503DespiteAnOrderedCatchAll() {
        HttpResponse<String> response = new HttpJson(port).get("/stopping");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(HttpJson.json(response.body()).get("title").asString()).isEqualTo("Shutting down");
    }

    /** Catches everything, unordered. */
    @RestControllerAdvice
    static class CatchAllAdvice {

        @ExceptionHandler(Exception.class)
        ResponseEntity<String> anything(Exception exception) {
            return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body("catch-all");
        }
    }

    /** Catches every runtime exception, ordered ahead of most advice. */
    @RestControllerAdvice
    @Order(0)
    static class OrderedCatchAllAdvice {

        @ExceptionHandler({RuntimeException.class, Throwable.class})
        ResponseEntity<String> anything(Throwable exception) {
            return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body("ordered catch-all");
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({RejectingController.class, CatchAllAdvice.class, OrderedCatchAllAdvice.class})
    static class App {

        @Bean
        ManualClock resilienceClock() {
            return new ManualClock();
        }

        @Bean
        RejectingService rejectingService() {
            return new RejectingService();
        }
    }
}

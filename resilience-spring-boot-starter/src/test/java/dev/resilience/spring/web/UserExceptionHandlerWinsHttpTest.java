package dev.resilience.spring.web;

import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.core.ManualClock;
import dev.resilience.spring.actuate.HttpJson;
import dev.resilience.spring.ResilienceRegistries;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = UserExceptionHandlerWinsHttpTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UserExceptionHandlerWinsHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    ResilienceRegistries registries;

    @Test
    void anApplicationsOwnAdviceForCallNotPermittedWins() {
        registries.circuitBreakers().find("inventory").orElseThrow().transitionToForcedOpenState();

        HttpResponse<String> response = new HttpJson(port).get("/inventory");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).isEqualTo("handled by the application: inventory");
    }

    @Test
    void rejectionsTheApplicationDoesNotHandleStillBecomeProblemDetails() {
        HttpResponse<String> response = new HttpJson(port).get("/stopping");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(HttpJson.json(response.body()).get("title").asString()).isEqualTo("Shutting down");
    }

    @Test
    void theCatchAllBesideTheApplicationsOwnHandlerDoesNotTakeTheOtherRejections() {
        HttpResponse<String> response = new HttpJson(port).get("/stopping");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).doesNotContain("catch-all");
    }

    /** The application's advice: no {@code @Order}, as most are written, and a catch-all beside its own handler. */
    @RestControllerAdvice
    static class ApplicationAdvice {

        @ExceptionHandler(CallNotPermittedException.class)
        ResponseEntity<String> open(CallNotPermittedException exception) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body("handled by the application: " + exception.instanceName());
        }

        @ExceptionHandler(Exception.class)
        ResponseEntity<String> anything(Exception exception) {
            return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body("catch-all");
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({RejectingController.class, ApplicationAdvice.class})
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

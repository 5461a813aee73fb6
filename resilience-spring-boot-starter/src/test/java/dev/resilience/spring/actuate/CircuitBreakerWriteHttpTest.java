package dev.resilience.spring.actuate;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.spring.ResilienceRegistries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.HttpResponse;

import static dev.resilience.spring.actuate.HttpJson.json;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = ObservabilityTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.endpoints.web.exposure.include=circuitbreakers",
                "management.endpoint.circuitbreakers.access=unrestricted",
                "resilience.circuitbreaker.instances.inventory.sliding-window-size=10"
        })
class CircuitBreakerWriteHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    ResilienceRegistries registries;

    HttpJson http;

    @BeforeEach
    void client() {
        http = new HttpJson(port);
    }

    @AfterEach
    void close() {
        registries.circuitBreakers().all().forEach(CircuitBreaker::reset);
    }

    private CircuitBreaker inventory() {
        return registries.circuitBreakers().find("inventory").orElseThrow();
    }

    @Test
    void aStateChangeMovesTheBreakerAndAnswersItsNewState() {
        HttpResponse<String> response = http.post("/actuator/circuitbreakers/inventory", "{\"state\": \"FORCED_OPEN\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).get("circuitBreakers").get("inventory").get("state").asString()).isEqualTo("FORCED_OPEN");
        assertThat(inventory().state()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);
    }

    @Test
    void everyStateCanBeSet() {
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            assertThat(http.post("/actuator/circuitbreakers/inventory", "{\"state\": \"" + state + "\"}").statusCode())
                    .isEqualTo(200);
            assertThat(inventory().state()).isEqualTo(state);
        }
    }

    @Test
    void aTransitionIsLoggedWithThePreviousAndNewState(CapturedOutput output) {
        http.post("/actuator/circuitbreakers/inventory", "{\"state\": \"DISABLED\"}");

        assertThat(output.getOut()).contains("INFO").contains("Circuit breaker 'inventory' moved through the actuator: CLOSED -> DISABLED");
    }

    @Test
    void resetClosesTheBreakerAndClearsItsCounts(CapturedOutput output) {
        inventory().transitionToOpenState();
        inventory().transitionToForcedOpenState();

        HttpResponse<String> response = http.post("/actuator/circuitbreakers/inventory", "{\"reset\": true}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(inventory().state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(output.getOut()).contains("Circuit breaker 'inventory' reset through the actuator: FORCED_OPEN -> CLOSED");
    }

    @Test
    void anUnknownStateIsA400WithoutStackTrace() {
        HttpResponse<String> response = http.post("/actuator/circuitbreakers/inventory", "{\"state\": \"AJAR\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("trace").doesNotContain("at dev.resilience").doesNotContain("Exception");
        assertThat(inventory().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void anUnknownStateIsAnsweredWithWhatIsWrongAndWhatToSend() {
        HttpResponse<String> response = http.post("/actuator/circuitbreakers/inventory", "{\"state\": \"AJAR\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).get("error").asString())
                .isEqualTo("Unknown circuit breaker state 'AJAR'; expected one of " + java.util.Arrays.toString(CircuitBreaker.State.values()));
        assertThat(json(response.body()).get("action").asString()).isEqualTo("Send one of those states. Nothing was changed.");
    }

    @Test
    void aStateBesideSettingsIsAnsweredWithWhatIsWrong() {
        HttpResponse<String> response = http.post("/actuator/circuitbreakers/inventory",
                "{\"state\": \"OPEN\", \"failureRateThreshold\": \"20\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).get("error").asString()).isEqualTo("Expected either 'state', 'reset' or settings, not several");
        assertThat(inventory().state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(inventory().config().failureRateThreshold()).isEqualTo(50f);
    }

    @Test
    void anEmptyBodyIsAnsweredWithWhatToSend() {
        HttpResponse<String> response = http.post("/actuator/circuitbreakers/inventory", "{}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).get("error").asString()).startsWith("Expected a body of either {\"state\": <state>}");
    }

    @Test
    void aResetThatIsNotTrueOrFalseIsA400AndResetsNothing() {
        inventory().transitionToForcedOpenState();

        for (String reset : new String[] {"\"yes\"", "\"on\"", "\"TRUE\"", "1"}) {
            HttpResponse<String> response = http.post("/actuator/circuitbreakers/inventory", "{\"reset\": " + reset + "}");

            assertThat(response.statusCode()).as("reset: %s", reset).isEqualTo(400);
            assertThat(inventory().state()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);
        }
    }

    @Test
    void aFalseResetAloneIsA400() {
        inventory().transitionToForcedOpenState();

        assertThat(http.post("/actuator/circuitbreakers/inventory", "{\"reset\": false}").statusCode()).isEqualTo(400);
        assertThat(inventory().state()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);
    }

    @Test
    void aBodyWithNeitherStateNorResetIsA400() {
        assertThat(http.post("/actuator/circuitbreakers/inventory", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void anUnknownNameIsA404AndCreatesNothing() {
        int before = registries.circuitBreakers().size();

        HttpResponse<String> response = http.post("/actuator/circuitbreakers/nobody", "{\"state\": \"OPEN\"}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(registries.circuitBreakers().size()).isEqualTo(before);
        assertThat(registries.circuitBreakers().find("nobody")).isEmpty();
    }
}

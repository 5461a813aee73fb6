package dev.resilience.spring.cloud.e2e;

import dev.resilience.spring.actuate.CircuitBreakersEndpoint;
import dev.resilience.spring.actuate.CircuitBreakersHealthIndicator;
import dev.resilience.spring.actuate.ResilienceEventsEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that still has Resilience4j's Spring Boot starter beside ours starts: both would register the
 * actuator endpoints {@code circuitbreakers}, {@code retries}, {@code bulkheads} and {@code ratelimiters}, which Spring
 * Boot refuses, so ours back off, saying so in one log line. Runs in its own test execution, the only one whose class
 * path holds Resilience4j's starter.
 */
@ExtendWith(OutputCaptureExtension.class)
class Resilience4jCoexistenceTest {

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {
    }

    @Test
    void theApplicationStartsWithResilience4jsEndpointsInPlaceOfOursAndSaysSo(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class).properties(
                "server.port=0", "server.address=127.0.0.1", "management.endpoints.web.exposure.include=*",
                "resilience4j.circuitbreaker.instances.legacy.sliding-window-size=5").run()) {
            assertThat(context.getBeansOfType(CircuitBreakersEndpoint.class)).isEmpty();
            assertThat(context.getBeansOfType(io.github.resilience4j.springboot.circuitbreaker.monitoring.endpoint.CircuitBreakerEndpoint.class))
                    .hasSize(1);
            assertThat(context.getBeansOfType(ResilienceEventsEndpoint.class)).hasSize(1);
            assertThat(context.getBean("circuitBreakersHealthIndicator")).isInstanceOf(CircuitBreakersHealthIndicator.class);

            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> breakers = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/circuitbreakers")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(breakers.statusCode()).isEqualTo(200);
            assertThat(breakers.body()).contains("legacy");
            HttpResponse<String> events = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/resilienceevents")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(events.statusCode()).isEqualTo(200);
        }
        assertThat(output.getAll().lines().filter(line -> line.contains("Resilience4j's Spring Boot starter"))).hasSize(1);
    }
}

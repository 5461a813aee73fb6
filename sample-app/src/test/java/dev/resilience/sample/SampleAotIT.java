package dev.resilience.sample;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.resilience.sample.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged application processed ahead of time ({@code -Paot}: {@code spring-boot:process-aot}) and started with
 * {@code -Dspring.aot.enabled=true}, so its beans come from the generated code instead of configuration classes: the
 * annotated methods are protected (a breaker opens, a fallback answers), and the actuator endpoints answer.
 */
class SampleAotIT {

    private Process app;

    /** @return the JVM arguments {@code -Paot} asks the packaged application to start with (none otherwise) */
    static List<String> jvmArgs() {
        String args = System.getProperty("sample.jvm.args", "").trim();
        return args.isEmpty() ? List.of() : Arrays.asList(args.split("\\s+"));
    }

    @AfterEach
    void stop() {
        if (app != null && app.isAlive()) {
            app.destroyForcibly();
        }
    }

    @Test
    void theAotProcessedApplicationProtectsItsCallsAndServesTheEndpoints() throws Exception {
        assertThat(jvmArgs()).as("run with -Paot").contains("-Dspring.aot.enabled=true");
        Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));
        Path log = Files.createTempFile(Path.of("target"), "aot-", ".log");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmArgs());
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port,
                // The first quote's shipping call warms up a cold JVM: on a busy machine that may take longer than the
                // sample's 2 s timeout, and this test is about the AOT-processed application, not that timeout.
                "--resilience.timeout.instances.shipping.timeout-duration=10s"));
        app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Http http = new Http(port);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> http.get("/actuator/health").statusCode() == 200);
        assertThat(Files.readString(log)).contains("Starting AOT-processed");

        assertThat(http.get("/orders/quote?sku=ABC-1").statusCode()).isEqualTo(200);
        http.post("/chaos/pricing", "{\"failureRate\":1.0}");
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sources.add(json(http.get("/orders/quote?sku=ABC-1").body()).get("priceSource").asString());
        }

        assertThat(sources).containsOnly("list-price");
        JsonNode breakers = json(http.get("/actuator/circuitbreakers").body()).get("circuitBreakers");
        assertThat(breakers.get("pricing").get("state").asString()).isEqualTo("OPEN");
        assertThat(http.get("/actuator/resilienceevents?kind=circuitbreaker&name=pricing").body()).contains("STATE_TRANSITION");
        assertThat(http.get("/actuator/retries").statusCode()).isEqualTo(200);
    }

    @Test
    void theGeneratedHintsCoverTheSamplesFallbackExceptionClassesAndEndpointPayloads() throws IOException {
        Path metadata = Path.of("target/spring-aot/main/resources/META-INF/native-image/dev.resilience/sample-app",
                "reachability-metadata.json");
        assertThat(metadata).as("spring-boot:process-aot output (run with -Paot)").isRegularFile();

        String hints = Files.readString(metadata);

        assertThat(hints).as("PricingClient's fallback").contains("\"listPrice\"")
                .as("shipping's retry-exceptions").contains("org.springframework.web.client.HttpServerErrorException")
                .as("the circuitbreakers endpoint payload").contains("CircuitBreakersEndpoint$CircuitBreakerDescriptor");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

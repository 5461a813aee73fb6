package dev.resilience.sample;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.resilience.sample.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged application ({@code java -jar}, as a user runs it) stopped with SIGTERM while requests are
 * in flight: every request gets its complete answer, the process exits well within
 * {@code resilience.shutdown.timeout}, and the resilience drain reports itself after the web server's.
 * Runs in the {@code integration-test} phase, after the jar is built; failsafe passes its path as
 * {@code sample.jar}.
 */
class GracefulShutdownIT {

    /** {@code resilience.shutdown.timeout} in the sample's application.yml. */
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(15);
    /** How slow pricing is made, so the requests are still in flight when SIGTERM arrives. */
    private static final int PRICING_LATENCY_MS = 2000;
    private static final int IN_FLIGHT = 4;
    /** A JVM ended by SIGTERM (15) exits with 128 + 15 once its shutdown hooks have run. */
    private static final int SIGTERM_EXIT_CODE = 143;

    private Process app;

    @AfterEach
    void killLeftovers() {
        if (app != null && app.isAlive()) {
            app.destroyForcibly();
        }
    }

    @Test
    void sigtermLetsEveryRequestInFlightFinishAndExitsWithinTheShutdownTimeout() throws Exception {
        Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));
        assertThat(jar).as("the packaged sample (run 'verify', not 'test')").isRegularFile();
        Path log = Files.createTempFile(Path.of("target"), "graceful-shutdown-", ".log");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(SampleAotIT.jvmArgs()); // -Paot: the AOT-processed application
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port,
                // room for every request in flight at once: this test is about shutdown, not the bulkhead
                "--resilience.bulkhead.instances.inventory.max-concurrent-calls=" + (IN_FLIGHT * 2),
                // nor the shipping timeout (2 s), which a cold JVM's first calls may exceed on a busy machine
                "--resilience.timeout.instances.shipping.timeout-duration=10s"));
        app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Http http = new Http(port);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> http.get("/actuator/health").statusCode() == 200);

        http.post("/chaos/pricing", "{\"latencyMs\":" + PRICING_LATENCY_MS + "}");
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
            inFlight.add(http.getAsync("/orders/quote?sku=ABC-" + i));
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> json(http.get("/chaos/pricing").body()).get("inFlight").asInt() == IN_FLIGHT);

        long sigterm = System.nanoTime();
        app.destroy();

        for (CompletableFuture<HttpResponse<String>> request : inFlight) {
            HttpResponse<String> response = request.get(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(json(response.body()).get("priceSource").asString()).isEqualTo("live");
        }
        assertThat(app.waitFor(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .as("exited within resilience.shutdown.timeout").isTrue();
        Duration stopping = Duration.ofNanos(System.nanoTime() - sigterm);
        assertThat(app.exitValue()).isEqualTo(SIGTERM_EXIT_CODE);
        assertThat(stopping).isLessThan(SHUTDOWN_TIMEOUT);

        String output = Files.readString(log);
        int webDrained = output.indexOf("Graceful shutdown complete");
        int resilienceDrained = output.indexOf("Resilience shutdown: ");
        assertThat(webDrained).as(output).isNotNegative();
        assertThat(resilienceDrained).as(output).isGreaterThan(webDrained);
        assertThat(output).contains("0 abandoned at the deadline");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

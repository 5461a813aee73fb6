package dev.resilience.sample;

import dev.resilience.sample.order.InventoryClient;
import dev.resilience.sample.order.OrderService;
import dev.resilience.sample.order.PricingClient;
import dev.resilience.sample.order.ShippingClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The proxy classes of the sample's annotated beans are generated when the application is processed ahead of time
 * ({@code -Paot}), shipped in the jar, and loaded from it by the application started with
 * {@code -Dspring.aot.enabled=true}: none is defined at run time, which a native image could not do.
 */
class ProxyClassesAotIT {

    /** The beans carrying resilience annotations; the first proxy class of each is {@code $$SpringCGLIB$$0}. */
    private static final List<String> PROXY_CLASSES = Stream.of(InventoryClient.class, OrderService.class,
            PricingClient.class, ShippingClient.class).map(type -> type.getName() + "$$SpringCGLIB$$0").toList();

    private Process app;

    @AfterEach
    void stop() {
        if (app != null && app.isAlive()) {
            app.destroyForcibly();
        }
    }

    @Test
    void theJarShipsTheProxyClassOfEveryAnnotatedBean() throws IOException {
        try (JarFile jar = new JarFile(jar().toFile())) {
            for (String proxyClass : PROXY_CLASSES) {
                assertThat(jar.getEntry("BOOT-INF/classes/" + proxyClass.replace('.', '/') + ".class"))
                        .as("%s in the jar (run with -Paot)", proxyClass).isNotNull();
            }
        }
    }

    @Test
    void theAotProcessedApplicationLoadsTheProxyClassesFromTheJarInsteadOfDefiningThem() throws Exception {
        assertThat(SampleAotIT.jvmArgs()).as("run with -Paot").contains("-Dspring.aot.enabled=true");
        Path log = Files.createTempFile(Path.of("target"), "aot-proxies-", ".log");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(SampleAotIT.jvmArgs());
        // The JVM logs every class it loads with where it came from: a jar entry, or a class defined at run time.
        command.addAll(List.of("-Xlog:class+load=info", "-jar", jar().toString(), "--server.port=" + port));
        app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Http http = new Http(port);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> http.get("/actuator/health").statusCode() == 200);

        Map<String, String> sources = loadSources(Files.readAllLines(log));

        assertThat(sources).as("where each proxy class was loaded from").containsKeys(PROXY_CLASSES.toArray(String[]::new));
        assertThat(sources.values()).as("the CGLIB classes of the sample").allSatisfy(source -> assertThat(source)
                .as("loaded from the jar's classes, not defined at run time (__JVM_LookupDefineClass__)")
                .startsWith("jar:").endsWith("!BOOT-INF/classes/!/"));
    }

    /** @return for each proxy class of the sample's beans the JVM loaded, the source its class-load line names */
    private static Map<String, String> loadSources(List<String> lines) {
        String marker = "[class,load] ";
        return lines.stream()
                .filter(line -> line.contains(marker) && line.contains("$$SpringCGLIB$$"))
                .map(line -> line.substring(line.indexOf(marker) + marker.length()))
                .filter(entry -> entry.startsWith("dev.resilience.sample."))
                .map(entry -> entry.split(" source: ", 2))
                .collect(Collectors.toMap(parts -> parts[0], parts -> parts.length > 1 ? parts[1].trim() : "",
                        (first, second) -> first + " and " + second));
    }

    private static Path jar() {
        return Path.of(System.getProperty("sample.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

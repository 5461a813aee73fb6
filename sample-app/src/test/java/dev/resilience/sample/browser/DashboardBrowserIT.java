package dev.resilience.sample.browser;

import dev.resilience.core.ManualClock;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.test.spring.ResilienceTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static dev.resilience.test.ResilienceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live page in headless Chromium against the sample application with its own configuration (page enabled, breaker
 * writes granted): the inventory tile follows the breaker that chaos opens and a healed downstream closes, and the
 * page's buttons move the breaker. The policies read a {@link ManualClock}, so the open-state wait passes when the test
 * moves the clock; the page refreshes every 200 ms of real time.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "resilience.dashboard.refresh-interval=200ms")
@ResilienceTest
class DashboardBrowserIT {

    private static final String QUOTE = "/orders/quote?sku=ABC-1";
    private static final Duration PAGE_WAIT = Duration.ofSeconds(20);

    private static HeadlessChromium chromium;

    @LocalServerPort
    int port;

    @Autowired
    ManualClock clock;

    @Autowired
    ResilienceRegistries registries;

    SampleHttp http;
    DashboardPage page;

    @BeforeAll
    static void startBrowser() {
        chromium = new HeadlessChromium(1280, 1000);
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void openPage() {
        http = new SampleHttp(port);
        assertThat(http.get(QUOTE).statusCode()).isEqualTo(200);
        page = new DashboardPage(chromium.driver()).open(port);
        await().atMost(PAGE_WAIT).ignoreExceptions().untilAsserted(() -> assertThat(page.breakerState("inventory")).isEqualTo("CLOSED"));
    }

    @AfterEach
    void healEverything() {
        http.delete("/chaos");
    }

    @Test
    void theInventoryTileTurnsOpenWhenChaosBreaksInventoryAndClosedOnceItIsHealed() throws Exception {
        http.post("/chaos/inventory", "{\"failureRate\":1.0}");
        // The window of 4 holds the healthy call made on opening the page: the third failure opens the breaker.
        for (int i = 0; i < 3; i++) {
            assertThat(http.get(QUOTE).statusCode()).isEqualTo(502);
        }
        assertThat(registries.circuitBreakers().get("inventory")).isOpen();
        // A call the open breaker refuses, and a few more tiles with figures, for the screenshot.
        assertThat(http.get(QUOTE).statusCode()).isEqualTo(503);
        http.post("/orders", "{\"sku\":\"ABC-1\",\"quantity\":1}");

        await().atMost(PAGE_WAIT).ignoreExceptions().untilAsserted(() -> assertThat(page.breakerState("inventory")).isEqualTo("OPEN"));
        await().atMost(PAGE_WAIT).ignoreExceptions().untilAsserted(() -> assertThat(page.eventRows()).isNotEmpty());
        Path screenshot = page.screenshot(Path.of("target", "dashboard.png"));
        assertThat(Files.size(screenshot)).isPositive();

        http.delete("/chaos");
        clock.advance(Duration.ofSeconds(5));
        assertThat(http.get(QUOTE).statusCode()).isEqualTo(200);
        assertThat(http.get(QUOTE).statusCode()).isEqualTo(200);
        assertThat(registries.circuitBreakers().get("inventory")).isClosed();

        await().atMost(PAGE_WAIT).ignoreExceptions().untilAsserted(() -> assertThat(page.breakerState("inventory")).isEqualTo("CLOSED"));
    }

    @Test
    void theEventLogFiltersByWhatIsTyped() {
        http.post("/chaos/inventory", "{\"failureRate\":1.0}");
        for (int i = 0; i < 4; i++) {
            http.get(QUOTE);
        }
        await().atMost(PAGE_WAIT).ignoreExceptions().untilAsserted(() -> assertThat(page.eventRows())
                .anySatisfy(row -> assertThat(row).contains("STATE_TRANSITION")));

        page.filterEvents("inventory");

        await().atMost(PAGE_WAIT).ignoreExceptions().untilAsserted(() -> assertThat(page.eventRows()).isNotEmpty()
                .allSatisfy(row -> assertThat(row).contains("inventory")));
    }

    @Test
    void theForceOpenButtonOpensTheBreakerAndResetClosesItAgain() {
        assertThat(page.mode()).isEqualTo("breaker writes enabled");

        page.click("inventory", "force-open");

        await().atMost(PAGE_WAIT).ignoreExceptions().untilAsserted(() -> assertThat(page.breakerState("inventory")).isEqualTo("FORCED_OPEN"));
        assertThat(registries.circuitBreakers().get("inventory")).isForcedOpen();
        assertThat(http.get(QUOTE).statusCode()).isEqualTo(503);

        page.click("inventory", "reset");

        await().atMost(PAGE_WAIT).ignoreExceptions().untilAsserted(() -> assertThat(page.breakerState("inventory")).isEqualTo("CLOSED"));
        assertThat(registries.circuitBreakers().get("inventory")).isClosed();
    }
}

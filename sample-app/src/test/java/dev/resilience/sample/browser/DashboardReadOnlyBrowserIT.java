package dev.resilience.sample.browser;

import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.test.spring.ResilienceTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;

import static dev.resilience.test.ResilienceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With the breaker endpoint read-only, the page shows the same tiles and no button at all; and it fits a phone. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"resilience.dashboard.refresh-interval=200ms", "management.endpoint.circuitbreakers.access=read-only"})
@ResilienceTest
class DashboardReadOnlyBrowserIT {

    @LocalServerPort
    int port;

    @Autowired
    ResilienceRegistries registries;

    @Test
    void theBreakerTilesHaveNoButtonsWhenWritesAreNotGranted() {
        SampleHttp http = new SampleHttp(port);
        assertThat(http.get("/orders/quote?sku=ABC-1").statusCode()).isEqualTo(200);
        try (HeadlessChromium chromium = new HeadlessChromium(1280, 1000)) {
            DashboardPage page = new DashboardPage(chromium.driver()).open(port);

            await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(page.breakerState("inventory")).isEqualTo("CLOSED"));
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(page.mode()).isEqualTo("read-only"));

            assertThat(page.breakerTiles("pricing")).hasSize(1);
            assertThat(page.buttons()).isEmpty();
            assertThat(http.post("/actuator/circuitbreakers/inventory", "{\"state\":\"FORCED_OPEN\"}").statusCode())
                    .isEqualTo(405);
            assertThat(registries.circuitBreakers().get("inventory")).isClosed();
        }
    }

    @Test
    void onAPhoneTheTilesFitTheScreenWidth() {
        assertThat(new SampleHttp(port).get("/orders/quote?sku=ABC-1").statusCode()).isEqualTo(200);
        try (HeadlessChromium chromium = new HeadlessChromium(390, 844)) {
            DashboardPage page = new DashboardPage(chromium.driver()).open(port);
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(page.breakerState("inventory")).isEqualTo("CLOSED"));

            Number pageWidth = (Number) chromium.driver().executeScript("return document.documentElement.scrollWidth;");
            Number screenWidth = (Number) chromium.driver().executeScript("return window.innerWidth;");
            assertThat(pageWidth.intValue()).isLessThanOrEqualTo(screenWidth.intValue());
            page.screenshot(java.nio.file.Path.of("target", "dashboard-phone.png"));
        }
    }
}

package dev.resilience.sample.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The live page as a test reads it: tiles by kind and name, their state, their buttons. */
final class DashboardPage {

    private final ChromeDriver driver;

    DashboardPage(ChromeDriver driver) {
        this.driver = driver;
    }

    DashboardPage open(int port) {
        driver.get("http://localhost:" + port + "/resilience/dashboard");
        return this;
    }

    WebDriver driver() {
        return driver;
    }

    /** @return the breaker tile's state as the page shows it, or null while there is no such tile */
    String breakerState(String name) {
        List<WebElement> tiles = breakerTiles(name);
        return tiles.isEmpty() ? null : tiles.get(0).findElement(By.cssSelector(".state")).getText();
    }

    List<WebElement> breakerTiles(String name) {
        return driver.findElements(By.cssSelector("article.tile[data-kind='circuitbreaker'][data-name='" + name + "']"));
    }

    List<WebElement> buttons() {
        return driver.findElements(By.cssSelector("button[data-action]"));
    }

    void click(String breaker, String action) {
        breakerTiles(breaker).get(0).findElement(By.cssSelector("button[data-action='" + action + "']")).click();
    }

    String mode() {
        return driver.findElement(By.id("mode")).getText();
    }

    /** @return the text of every row of the event log, read at once (the page redraws the log as events come) */
    @SuppressWarnings("unchecked")
    List<String> eventRows() {
        return (List<String>) driver.executeScript(
                "return Array.from(document.querySelectorAll('#events tbody tr')).map(row => row.textContent);");
    }

    void filterEvents(String text) {
        WebElement filter = driver.findElement(By.id("event-filter"));
        filter.clear();
        filter.sendKeys(text);
    }

    /** Saves what the browser shows as a PNG, for a person to look at (and for the README). */
    Path screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

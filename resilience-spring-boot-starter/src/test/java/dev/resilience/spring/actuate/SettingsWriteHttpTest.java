package dev.resilience.spring.actuate;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.retry.Retry;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.timeout.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.resilience.spring.actuate.HttpJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The actuator's settings writes, over real HTTP, with write access granted. */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = ObservabilityTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.endpoints.web.exposure.include=circuitbreakers,retries,bulkheads,ratelimiters,timeouts,resilienceevents",
                "management.endpoint.circuitbreakers.access=unrestricted",
                "management.endpoint.retries.access=unrestricted",
                "management.endpoint.bulkheads.access=unrestricted",
                "management.endpoint.ratelimiters.access=unrestricted",
                "management.endpoint.timeouts.access=unrestricted",
                "resilience.timeout.instances.slow.timeout-duration=1s",
                "resilience.ratelimiter.instances.search.limit-for-period=10",
                "resilience.ratelimiter.instances.search.limit-refresh-period=1h",
                "resilience.ratelimiter.instances.search.timeout-duration=0s",
                "resilience.ratelimiter.instances.bursty.limit-for-period=10",
                "resilience.ratelimiter.instances.bursty.limit-refresh-period=1h",
                "resilience.ratelimiter.instances.bursty.timeout-duration=0s",
                "resilience.bulkhead.instances.orders.max-concurrent-calls=4",
                "resilience.retry.instances.payments.max-attempts=3",
                "resilience.retry.instances.payments.wait-duration=0s",
                "resilience.circuitbreaker.instances.inventory.sliding-window-size=10",
                "resilience.circuitbreaker.instances.inventory.minimum-number-of-calls=10",
                "resilience.thread-pool-bulkhead.instances.reports.core-thread-pool-size=1",
                "resilience.thread-pool-bulkhead.instances.reports.max-thread-pool-size=1",
                "resilience.thread-pool-bulkhead.instances.reports.queue-capacity=1"
        })
class SettingsWriteHttpTest {

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
    void restore() {
        for (String path : List.of("ratelimiters/search", "ratelimiters/bursty", "bulkheads/orders", "bulkheads/reports",
                "retries/payments", "circuitbreakers/inventory", "timeouts/slow")) {
            assertThat(http.delete("/actuator/" + path).statusCode()).isEqualTo(200);
        }
        registries.circuitBreakers().all().forEach(CircuitBreaker::reset);
    }

    private RateLimiter search() {
        return registries.rateLimiters().find("search").orElseThrow();
    }

    @Test
    void aNewLimitAppliesInPlaceKeepingTheCurrentPeriodAndIsLoggedAndPublished(CapturedOutput output) {
        for (int i = 0; i < 4; i++) {
            assertThat(search().acquirePermission()).isTrue();
        }

        HttpResponse<String> response = http.post("/actuator/ratelimiters/search", "{\"limitForPeriod\": 50}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response.body());
        assertThat(body.get("changes").get(0).asString()).isEqualTo("ratelimiter 'search': limitForPeriod 10 -> 50");
        assertThat(search().config().limitForPeriod()).isEqualTo(50);
        assertThat(search().metrics().availablePermissions()).isEqualTo(6); // the period under way goes on
        assertThat(output.getOut()).contains("INFO").contains("Reconfigured ratelimiter 'search': limitForPeriod 10 -> 50");
        JsonNode events = json(http.get("/actuator/resilienceevents?kind=ratelimiter&name=search").body()).get("events");
        assertThat(events.valueStream().map(e -> e.get("type").asString())).contains("CONFIG_CHANGED");
    }

    @Test
    void anInvalidValueIsA400WithTheStartupMessageAndChangesNothing() {
        HttpResponse<String> response = http.post("/actuator/ratelimiters/search",
                "{\"limitForPeriod\": 0, \"timeoutDuration\": \"1s\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("resilience.ratelimiter.instances.search.limit-for-period")
                .doesNotContain("at dev.resilience");
        assertThat(search().config().limitForPeriod()).isEqualTo(10);
        assertThat(search().config().timeoutDuration()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aValueOfTheWrongTypeIsA400NamingTheProperty() {
        HttpResponse<String> response = http.post("/actuator/bulkheads/orders", "{\"maxConcurrentCalls\": \"many\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("resilience.bulkhead.instances.orders.max-concurrent-calls");
        assertThat(registries.bulkheads().find("orders").orElseThrow().config().maxConcurrentCalls()).isEqualTo(4);
    }

    @Test
    void aSettingThatCannotChangeAtRunTimeIsA400AndNothingChanges() {
        HttpResponse<String> response = http.post("/actuator/ratelimiters/search",
                "{\"limitForPeriod\": 20, \"limitRefreshPeriod\": \"1m\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("limit-refresh-period").contains("cannot change at run time");
        assertThat(search().config().limitForPeriod()).isEqualTo(10);
        assertThat(search().config().limitRefreshPeriod()).isEqualTo(Duration.ofHours(1));
    }

    private ThreadPoolBulkhead reports() {
        return registries.threadPoolBulkheads().find("reports").orElseThrow();
    }

    @Test
    void aThreadPoolBulkheadTakesItsNewSizesRunningEveryCallItAccepted(CapturedOutput output) throws Exception {
        ThreadPoolBulkhead reports = reports();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(2);
        List<CompletableFuture<String>> accepted = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) { // one runs, one waits in the queue of 1
                accepted.add(reports.<String>callAsync(() -> {
                    running.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        return CompletableFuture.failedFuture(e);
                    }
                    return CompletableFuture.completedFuture("ran");
                }).toCompletableFuture());
            }
            assertThat(reports.metrics().queueDepth()).isEqualTo(1);

            HttpResponse<String> response = http.post("/actuator/bulkheads/reports",
                    "{\"coreThreadPoolSize\": 2, \"maxThreadPoolSize\": 2, \"queueCapacity\": 3}");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response.body()).get("changes").get(0).asString()).isEqualTo(
                    "thread-pool-bulkhead 'reports': coreThreadPoolSize 1 -> 2, maxThreadPoolSize 1 -> 2, queueCapacity 1 -> 3");
            assertThat(running.await(10, TimeUnit.SECONDS)).as("the queued call got the new thread").isTrue();
            assertThat(reports.metrics().queueCapacity()).isEqualTo(3);
            assertThat(reports.metrics().remainingQueueCapacity()).isEqualTo(3);
            JsonNode shown = json(http.get("/actuator/bulkheads/reports").body()).get("bulkheads").get("reports");
            assertThat(shown.get("maxConcurrentCalls").asInt()).isEqualTo(5); // 2 threads + a queue of 3
            assertThat(output.getOut()).contains("INFO").contains("Reconfigured thread-pool-bulkhead 'reports': coreThreadPoolSize 1 -> 2");
            JsonNode events = json(http.get("/actuator/resilienceevents?kind=thread-pool-bulkhead&name=reports").body()).get("events");
            assertThat(events.valueStream().map(e -> e.get("type").asString())).contains("CONFIG_CHANGED");
        } finally {
            release.countDown();
        }
        assertThat(CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new))
                .thenApply(done -> accepted.stream().map(CompletableFuture::join).toList()).get(20, TimeUnit.SECONDS))
                .containsExactly("ran", "ran");
    }

    @Test
    void anInvalidThreadPoolChangeIsA400WithTheStartupMessageAndChangesNothing() {
        HttpResponse<String> response = http.post("/actuator/bulkheads/reports",
                "{\"coreThreadPoolSize\": 4, \"queueCapacity\": 9}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("resilience.thread-pool-bulkhead.instances.reports.max-thread-pool-size")
                .doesNotContain("at dev.resilience");
        assertThat(reports().config().coreThreadPoolSize()).isEqualTo(1);
        assertThat(reports().config().queueCapacity()).isEqualTo(1);
    }

    @Test
    void aSettingOfTheOtherTypeOfBulkheadIsA400AndChangesNothing() {
        HttpResponse<String> toThreadPool = http.post("/actuator/bulkheads/reports",
                "{\"maxConcurrentCalls\": 3, \"queueCapacity\": 5}");
        HttpResponse<String> toSemaphore = http.post("/actuator/bulkheads/orders", "{\"queueCapacity\": 5}");

        assertThat(toThreadPool.statusCode()).isEqualTo(400);
        assertThat(toSemaphore.statusCode()).isEqualTo(400);
        assertThat(json(toSemaphore.body()).get("error").asString()).isEqualTo("Bulkhead 'orders' is a semaphore bulkhead: it has no queueCapacity; its settings are " + "[maxConcurrentCalls, maxWaitDuration]. Nothing was changed.");
        assertThat(json(toSemaphore.body()).get("action").asString()).startsWith("Send only [");
        assertThat(reports().config().queueCapacity()).isEqualTo(1);
        assertThat(registries.bulkheads().find("orders").orElseThrow().config().maxConcurrentCalls()).isEqualTo(4);
    }

    @Test
    void deleteTakesAThreadPoolBulkheadBackToItsProperties() {
        http.post("/actuator/bulkheads/reports", "{\"queueCapacity\": 7}");

        HttpResponse<String> response = http.delete("/actuator/bulkheads/reports");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).get("changes").get(0).asString())
                .isEqualTo("thread-pool-bulkhead 'reports': queueCapacity 7 -> 1");
        assertThat(reports().config().queueCapacity()).isEqualTo(1);
    }

    private Timeout slow() {
        return registries.timeouts().find("slow").orElseThrow();
    }

    @Test
    void aTimeoutTakesItsNewDurationAndIsLoggedAndPublished(CapturedOutput output) {
        HttpResponse<String> response = http.post("/actuator/timeouts/slow", "{\"timeoutDuration\": \"2s\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).get("changes").get(0).asString())
                .isEqualTo("timeout 'slow': timeoutDuration PT1S -> PT2S");
        assertThat(slow().config().timeoutDuration()).isEqualTo(Duration.ofSeconds(2));
        JsonNode shown = json(http.get("/actuator/timeouts/slow").body()).get("timeouts").get("slow");
        assertThat(shown.get("timeoutDuration").asString()).isEqualTo("PT2S");
        assertThat(output.getOut()).contains("INFO").contains("Reconfigured timeout 'slow': timeoutDuration PT1S -> PT2S");
        JsonNode events = json(http.get("/actuator/resilienceevents?kind=timeout&name=slow").body()).get("events");
        assertThat(events.valueStream().map(e -> e.get("type").asString())).contains("CONFIG_CHANGED");
    }

    @Test
    void anInvalidTimeoutIsA400WithTheStartupMessageAndChangesNothing() {
        HttpResponse<String> response = http.post("/actuator/timeouts/slow",
                "{\"timeoutDuration\": \"0s\", \"cancelRunningFuture\": \"false\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("resilience.timeout.instances.slow.timeout-duration");
        assertThat(slow().config().timeoutDuration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(slow().config().cancelRunningFuture()).isTrue();
    }

    @Test
    void deleteTakesATimeoutBackToItsProperties() {
        http.post("/actuator/timeouts/slow", "{\"timeoutDuration\": \"3s\"}");

        HttpResponse<String> response = http.delete("/actuator/timeouts/slow");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).get("changes").get(0).asString()).isEqualTo("timeout 'slow': timeoutDuration PT3S -> PT1S");
        assertThat(slow().config().timeoutDuration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(http.post("/actuator/timeouts/nobody", "{\"timeoutDuration\": \"3s\"}").statusCode()).isEqualTo(404);
        assertThat(http.post("/actuator/timeouts/slow", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void aBulkheadTakesItsNewMaximumKeepingThePermitsHeld() {
        Bulkhead orders = registries.bulkheads().find("orders").orElseThrow();
        Bulkhead.Permit held = orders.tryAcquire();

        assertThat(http.post("/actuator/bulkheads/orders", "{\"maxConcurrentCalls\": 2}").statusCode()).isEqualTo(200);

        assertThat(orders.metrics().availableConcurrentCalls()).isEqualTo(1);
        assertThat(held.release()).isTrue();
        assertThat(orders.metrics().availableConcurrentCalls()).isEqualTo(2);
    }

    @Test
    void aRetryUsesItsNewAttemptsFromTheNextCall() {
        assertThat(http.post("/actuator/retries/payments", "{\"maxAttempts\": 5}").statusCode()).isEqualTo(200);

        Retry payments = registries.retries().find("payments").orElseThrow();
        int[] attempts = new int[1];
        assertThatThrownBy(() -> payments.call(() -> {
            attempts[0]++;
            throw new IOException("down");
        })).isInstanceOf(IOException.class);
        assertThat(attempts[0]).isEqualTo(5);
    }

    @Test
    void aBreakerKeepsItsStateAndWindowAcrossANewWindowSizeAndThreshold() {
        CircuitBreaker inventory = registries.circuitBreakers().find("inventory").orElseThrow();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> inventory.call(() -> {
                throw new IOException("down");
            })).isInstanceOf(IOException.class);
        }

        HttpResponse<String> response = http.post("/actuator/circuitbreakers/inventory",
                "{\"slidingWindowSize\": 20, \"failureRateThreshold\": 30}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(inventory.metrics().bufferedCalls()).isEqualTo(3);
        assertThat(inventory.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(inventory.config().slidingWindowSize()).isEqualTo(20);
        assertThat(inventory.config().failureRateThreshold()).isEqualTo(30f);
    }

    @Test
    void aBreakerBodyMixingStateAndSettingsIsA400() {
        assertThat(http.post("/actuator/circuitbreakers/inventory", "{\"state\": \"OPEN\", \"slidingWindowSize\": 20}")
                .statusCode()).isEqualTo(400);
        assertThat(registries.circuitBreakers().find("inventory").orElseThrow().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void deleteDropsTheRunTimeValuesAndGoesBackToTheProperties() {
        http.post("/actuator/ratelimiters/search", "{\"limitForPeriod\": 50}");

        HttpResponse<String> response = http.delete("/actuator/ratelimiters/search");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).get("changes").get(0).asString()).isEqualTo("ratelimiter 'search': limitForPeriod 50 -> 10");
        assertThat(search().config().limitForPeriod()).isEqualTo(10);
    }

    @Test
    void anUnknownNameIsA404AndCreatesNothing() {
        int before = registries.rateLimiters().size();

        assertThat(http.post("/actuator/ratelimiters/nobody", "{\"limitForPeriod\": 5}").statusCode()).isEqualTo(404);
        assertThat(http.delete("/actuator/ratelimiters/nobody").statusCode()).isEqualTo(404);
        assertThat(registries.rateLimiters().size()).isEqualTo(before);
    }

    @Test
    void aBodySettingNothingIsA400SayingWhatToSend() {
        HttpResponse<String> response = http.post("/actuator/ratelimiters/search", "{}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).get("error").asString()).startsWith("Expected a body setting at least one of [");
        assertThat(json(response.body()).get("action").asString())
                .isEqualTo("Send a JSON body with one or more of those settings. Nothing was changed.");
    }

    /** Many threads take permits while the limit changes over HTTP: the period under way admits exactly its limit. */
    @Test
    void changesUnderLoadKeepTheCurrentPeriodExactly() throws Exception {
        RateLimiter limiter = registries.rateLimiters().find("bursty").orElseThrow();
        java.util.concurrent.atomic.LongAdder admitted = new java.util.concurrent.atomic.LongAdder();
        List<Thread> callers = new ArrayList<>();
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        for (int t = 0; t < 4; t++) {
            Thread caller = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 2_000; i++) {
                    if (limiter.acquirePermission()) {
                        admitted.increment();
                    }
                }
            });
            caller.start();
            callers.add(caller);
        }
        start.countDown();
        for (int i = 0; i < 10; i++) {
            assertThat(http.post("/actuator/ratelimiters/bursty", "{\"limitForPeriod\": " + (i % 2 == 0 ? 500 : 5) + "}")
                    .statusCode()).isEqualTo(200);
        }
        for (Thread caller : callers) {
            caller.join(30_000);
            assertThat(caller.isAlive()).isFalse();
        }

        assertThat(admitted.sum()).isEqualTo(10); // the period under way (1 h) keeps its 10
        assertThat(limiter.config().limitForPeriod()).isEqualTo(5);
    }
}

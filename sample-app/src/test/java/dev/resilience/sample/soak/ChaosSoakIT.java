package dev.resilience.sample.soak;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A minute of load under changing chaos: {@value #CLIENTS} HTTP clients ask for quotes (and now and then place an
 * order) without pause while a fixed schedule breaks and heals the downstreams every {@link #PHASE}. Every answer must
 * be one the contract allows ({@link SoakContract}): never a 500, never a transport error or a client-side timeout.
 * The inventory breaker must be seen OPEN while inventory fails and CLOSED again after it is healed, and the heap
 * after a GC and the live threads must end where they were after the warm-up.
 *
 * <p>Runs only with {@code -Psoak} (see the pom): about 75 s, too long for every build. The load runs once, before
 * the tests, which each check one property of it; a summary of every answer goes to standard output.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChaosSoakIT {

    private static final int CLIENTS = 64;
    private static final Duration PHASE = Duration.ofSeconds(5);
    private static final Duration BREAKER_POLL = Duration.ofMillis(250);
    /** Far above any answer the sample's policies allow (about 10 s: four shipping attempts of 2 s plus backoff). */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Used heap after GC may end this much above its warm-up value: a leak of 1 KiB a request would pass it. */
    private static final long HEAP_GROWTH_LIMIT_BYTES = 32L * 1024 * 1024;
    /** The soak's own threads (clients, schedule, HTTP client), not counted as the application's. */
    private static final String SOAK_THREADS = "soak-";
    /** The application's threads may end this many away from their warm-up count: elastic pools (Tomcat's, HTTP clients') breathe. */
    private static final int THREAD_MARGIN = 16;

    private static final String FAIL_ALL = "{\"failureRate\":1.0}";
    private static final String FAIL_HALF = "{\"failureRate\":0.5}";

    private static final List<SoakPhase> WARM_UP = List.of(
            SoakPhase.healthy("w1 warm-up: healthy"),
            // Slow pricing holds a request thread per quote: Tomcat's pool grows to what the soak needs.
            SoakPhase.breaking("w2 warm-up: pricing slow (300 ms)", "pricing", "{\"latencyMs\":300}"));

    private static final SoakPhase INVENTORY_FAILING = SoakPhase.breaking("02 inventory failing 100 %", "inventory", FAIL_ALL);
    private static final SoakPhase PRICING_FAILING = SoakPhase.breaking("04 pricing failing 50 %", "pricing", FAIL_HALF);
    private static final SoakPhase SHIPPING_SLOW = SoakPhase.breaking("05 shipping slow (2.5 s, timeout 2 s)", "shipping",
            "{\"latencyMs\":2500}");
    private static final SoakPhase INVENTORY_FAILING_AGAIN = SoakPhase.breaking("09 inventory failing 50 %", "inventory", FAIL_HALF);
    private static final SoakPhase FINAL = SoakPhase.healthy("12 healed");

    private static final List<SoakPhase> SCHEDULE = List.of(
            SoakPhase.healthy("01 healthy"),
            INVENTORY_FAILING,
            SoakPhase.healthy("03 healed"),
            PRICING_FAILING,
            SHIPPING_SLOW,
            SoakPhase.healthy("06 healed"),
            new SoakPhase("07 inventory 200 ms + pricing 300 ms slow",
                    Map.of("inventory", "{\"latencyMs\":200}", "pricing", "{\"latencyMs\":300}")),
            SoakPhase.breaking("08 shipping failing 50 % (retried)", "shipping", FAIL_HALF),
            INVENTORY_FAILING_AGAIN,
            SoakPhase.healthy("10 healed"),
            SoakPhase.healthy("11 healed"),
            FINAL);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    private final AtomicReference<String> currentPhase = new AtomicReference<>("(not started)");
    private final SoakTally tally = new SoakTally();
    private ExecutorService httpThreads;
    private HttpClient http;
    private ThreadPoolExecutor clients;
    private ScheduledThreadPoolExecutor control;
    private BreakerWatch breakers;
    private JvmFootprint afterWarmUp;
    private JvmFootprint atEnd;
    private String inventoryStateAtEnd;
    private Duration soakTook;

    @BeforeAll
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void soak() throws Exception {
        // The client's own threads get names, so that they are told apart from the application's HTTP client's.
        httpThreads = Executors.newCachedThreadPool(named(SOAK_THREADS + "http-"));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .executor(httpThreads).build();
        clients = new ThreadPoolExecutor(CLIENTS, CLIENTS, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(CLIENTS),
                named(SOAK_THREADS + "client-"));
        control = new ScheduledThreadPoolExecutor(2, named(SOAK_THREADS + "control-"));
        // Every thread of the soak itself exists before the first measurement, so it counts on both sides.
        clients.prestartAllCoreThreads();
        control.prestartAllCoreThreads();

        run(WARM_UP, false);
        afterWarmUp = JvmFootprint.afterGc(SOAK_THREADS);
        breakers = new BreakerWatch(http, baseUrl(), REQUEST_TIMEOUT, currentPhase::get);
        long started = System.nanoTime();
        run(SCHEDULE, true);
        soakTook = Duration.ofNanos(System.nanoTime() - started);
        inventoryStateAtEnd = JSON.readTree(get("/actuator/circuitbreakers/inventory").body())
                .get("circuitBreakers").get("inventory").get("state").asString();
        atEnd = JvmFootprint.afterGc(SOAK_THREADS);

        System.out.println(report());
    }

    @AfterAll
    void stopTheClients() throws InterruptedException {
        stop(clients);
        stop(control);
        if (httpThreads != null) {
            httpThreads.shutdownNow();
        }
    }

    private static void stop(ThreadPoolExecutor pool) throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            pool.awaitTermination(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void everyAnswerIsOneTheContractAllows() {
        assertThat(tally.violations()).as("violations, first ones:%n%s", String.join("\n", tally.firstViolations())).isZero();
    }

    @Test
    void noAnswerIsA500() {
        assertThat(tally.withStatus(500)).isZero();
    }

    @Test
    void noRequestEndsInATransportErrorOrAClientSideTimeout() {
        assertThat(tally.withStatus(0)).as("soak clients").isZero();
        assertThat(breakers.failures()).as("breaker polls: %s", breakers.firstFailures()).isZero();
    }

    @Test
    void everyPhaseIsUnderLoad() {
        for (SoakPhase phase : allPhases()) {
            long answers = tally.categoriesIn(phase.name()).values().stream().mapToLong(Long::longValue).sum();
            assertThat(answers).as(phase.name()).isGreaterThanOrEqualTo(CLIENTS);
        }
    }

    /** Its few 502s come first (the breaker opens after 4 calls), in the first milliseconds: they are in the summary. */
    @Test
    void aFailingInventoryIsAnsweredByTheFast503sOfItsOpenBreaker() {
        assertThat(tally.categoriesIn(INVENTORY_FAILING.name())).containsKey("503 circuitbreaker inventory");
    }

    @Test
    void aFailingPricingDegradesQuotesToTheListPrice() {
        assertThat(tally.categoriesIn(PRICING_FAILING.name())).containsKey("200 quote, degraded to the list price");
    }

    /** Under this load shipping's pool is mostly full, so a caller rarely gets as far as its timeout: either will do. */
    @Test
    void aSlowShippingIsAnsweredByItsTimeoutOrItsFullPoolInsteadOfWaiting() {
        assertThat(tally.categoriesIn(SHIPPING_SLOW.name()).keySet()).containsAnyOf("504 timeout shipping", "503 bulkhead shipping");
    }

    @Test
    void theInventoryBreakerIsSeenOpenWhileInventoryFails() {
        assertThat(inventoryStates(INVENTORY_FAILING, INVENTORY_FAILING)).contains("OPEN");
    }

    @Test
    void theInventoryBreakerIsSeenClosedAgainAfterHealing() {
        int failing = SCHEDULE.indexOf(INVENTORY_FAILING);
        assertThat(inventoryStates(SCHEDULE.get(failing + 1), SCHEDULE.get(SCHEDULE.indexOf(INVENTORY_FAILING_AGAIN) - 1)))
                .as("between the heal and the next inventory failure").contains("CLOSED");
        assertThat(inventoryStates(FINAL, FINAL)).as("in the last phase").isNotEmpty().containsOnly("CLOSED");
        assertThat(inventoryStateAtEnd).isEqualTo("CLOSED");
    }

    @Test
    void usedHeapAfterGcEndsNearItsWarmUpValue() {
        assertThat(atEnd.usedHeapBytes()).isLessThanOrEqualTo(afterWarmUp.usedHeapBytes() + HEAP_GROWTH_LIMIT_BYTES);
    }

    @Test
    void applicationThreadsEndNearTheirWarmUpCount() {
        assertThat(atEnd.liveThreads()).as("pools that changed: %s", afterWarmUp.poolChangesUntil(atEnd))
                .isBetween(afterWarmUp.liveThreads() - THREAD_MARGIN, afterWarmUp.liveThreads() + THREAD_MARGIN);
    }

    /** Runs the phases one after the other under the load of every client; returns when the last phase is over. */
    private void run(List<SoakPhase> phases, boolean watchBreakers) throws Exception {
        long end = System.nanoTime() + PHASE.toNanos() * phases.size();
        enter(phases.get(0));
        List<ScheduledFuture<?>> scheduled = new ArrayList<>();
        for (int i = 1; i < phases.size(); i++) {
            SoakPhase phase = phases.get(i);
            scheduled.add(control.schedule(() -> enter(phase), PHASE.toMillis() * i, TimeUnit.MILLISECONDS));
        }
        if (watchBreakers) {
            scheduled.add(control.scheduleAtFixedRate(breakers::poll, 0, BREAKER_POLL.toMillis(), TimeUnit.MILLISECONDS));
        }
        List<Future<?>> load = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            int id = client;
            load.add(clients.submit(() -> load(id, end)));
        }
        for (Future<?> client : load) {
            client.get(PHASE.toSeconds() * phases.size() + REQUEST_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
        }
        scheduled.forEach(task -> task.cancel(false));
    }

    /** Counts answers for the phase from now on, heals every downstream and breaks the ones the phase names. */
    private void enter(SoakPhase phase) {
        // Before the switch, so that no answer to the new chaos is counted for the phase before.
        currentPhase.set(phase.name());
        try {
            List<HttpResponse<String>> answers = new ArrayList<>();
            answers.add(send(request("/chaos").DELETE().build()));
            phase.chaos().forEach((downstream, settings) -> answers.add(send(request("/chaos/" + downstream)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(settings)).build())));
            for (HttpResponse<String> answer : answers) {
                if (answer.statusCode() != 200) {
                    tally.record(phase.name(), SoakAnswer.violation(answer.statusCode(), "chaos control refused",
                            answer.request().uri() + ": " + SoakContract.abbreviate(answer.body())));
                }
            }
        } catch (RuntimeException e) {
            // Recorded rather than thrown: an exception would end the scheduled task without a trace.
            tally.record(phase.name(), SoakAnswer.violation(0, "chaos control failed", e.toString()));
        }
    }

    /** One client: quotes without pause, every tenth request of every eighth client an order, until the end. */
    private void load(int client, long endNanos) {
        for (int i = 0; System.nanoTime() < endNanos && !Thread.currentThread().isInterrupted(); i++) {
            String phase = currentPhase.get();
            String sku = "SOAK-" + (client % 8);
            HttpRequest request = client % 8 == 0 && i % 10 == 0
                    ? request("/orders").header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"" + sku + "\",\"quantity\":1}")).build()
                    : request("/orders/quote?sku=" + sku + "&quantity=" + (1 + i % 3)).GET().build();
            tally.record(phase, answerTo(request));
        }
    }

    private SoakAnswer answerTo(HttpRequest request) {
        try {
            return SoakContract.classify(http.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (HttpTimeoutException e) {
            return SoakAnswer.violation(0, "client-side timeout", request.uri() + ": " + e);
        } catch (IOException e) {
            return SoakAnswer.violation(0, "transport error", request.uri() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SoakAnswer.violation(0, "interrupted", request.uri() + ": the soak was stopped");
        }
    }

    private HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(request.method() + " " + request.uri() + " was interrupted", e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(REQUEST_TIMEOUT);
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** @return the states the watch saw the inventory breaker in, from the start of {@code from} to the end of {@code to} */
    private List<String> inventoryStates(SoakPhase from, SoakPhase to) {
        List<String> names = SCHEDULE.subList(SCHEDULE.indexOf(from), SCHEDULE.indexOf(to) + 1).stream().map(SoakPhase::name).toList();
        return breakers.samples().stream().filter(sample -> names.contains(sample.phase())).map(BreakerWatch.Sample::inventory).toList();
    }

    private List<SoakPhase> allPhases() {
        return Stream.concat(WARM_UP.stream(), SCHEDULE.stream()).toList();
    }

    private String report() {
        long answers = tally.total();
        return String.format("%n=== Chaos soak: %d clients, %d phases of %d s (after %d s of warm-up), took %.1f s ===%n",
                CLIENTS, SCHEDULE.size(), PHASE.toSeconds(), PHASE.toSeconds() * WARM_UP.size(), soakTook.toMillis() / 1000.0)
                + tally.summary(allPhases().stream().map(SoakPhase::name).toList())
                + String.format("%nanswers: %d (%.0f a second over warm-up and soak)%n", answers,
                        answers / (soakTook.toMillis() / 1000.0 + PHASE.toSeconds() * WARM_UP.size()))
                + String.format("breakers, seconds since the end of the warm-up (%d polls, %d failed):%n%s%n", breakers.samples().size(), breakers.failures(),
                        breakers.timeline())
                + String.format("inventory breaker at the end: %s%n", inventoryStateAtEnd)
                + String.format("used heap after GC: %.1f MiB after warm-up, %.1f MiB at the end (%+.1f MiB)%n",
                        afterWarmUp.usedHeapMib(), atEnd.usedHeapMib(), atEnd.usedHeapMib() - afterWarmUp.usedHeapMib())
                + String.format("application threads: %d after warm-up, %d at the end (all live threads at their peak: %d);"
                        + " pools that changed: %s%n",
                        afterWarmUp.liveThreads(), atEnd.liveThreads(), breakers.peakThreads(), afterWarmUp.poolChangesUntil(atEnd));
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

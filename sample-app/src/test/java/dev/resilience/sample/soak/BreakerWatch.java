package dev.resilience.sample.soak;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Polls {@code GET /actuator/circuitbreakers} during the soak and keeps what the breakers of inventory and pricing
 * said, with the time and the phase, and the highest live thread count seen. Called from one scheduler thread at a
 * time; read once the soak has ended. Keeps at most {@link #MAX_SAMPLES} samples.
 */
final class BreakerWatch {

    /** Far above a minute of polls every 250 ms: only a bound, so a runaway schedule cannot grow the list forever. */
    static final int MAX_SAMPLES = 2_000;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client;
    private final HttpRequest request;
    private final Supplier<String> phase;
    private final long startNanos = System.nanoTime();
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sampleCount = new AtomicInteger();
    private final LongAdder failures = new LongAdder();
    private final ConcurrentLinkedQueue<String> firstFailures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger peakThreads = new AtomicInteger();

    /**
     * @param client the soak's HTTP client
     * @param baseUrl the application, e.g. {@code http://127.0.0.1:8080}
     * @param timeout the longest a poll may wait for its answer
     * @param phase the name of the phase running now
     */
    BreakerWatch(HttpClient client, String baseUrl, Duration timeout, Supplier<String> phase) {
        this.client = client;
        this.request = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/circuitbreakers")).timeout(timeout).GET().build();
        this.phase = phase;
    }

    /** Takes one sample; never throws, so that a scheduler keeps calling it. */
    void poll() {
        peakThreads.accumulateAndGet(ManagementFactory.getThreadMXBean().getThreadCount(), Math::max);
        String phaseNow = phase.get();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                fail("status " + response.statusCode() + ": " + SoakContract.abbreviate(response.body()));
                return;
            }
            JsonNode breakers = JSON.readTree(response.body()).get("circuitBreakers");
            if (sampleCount.getAndIncrement() < MAX_SAMPLES) {
                samples.add(new Sample((System.nanoTime() - startNanos) / 1_000_000, phaseNow,
                        breakers.get("inventory").get("state").asString(), breakers.get("pricing").get("state").asString()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            fail(e.toString());
        }
    }

    /** @return every sample, oldest first */
    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** @return polls that got no readable answer */
    long failures() {
        return failures.sum();
    }

    /** @return the first polls that got no readable answer, and why */
    List<String> firstFailures() {
        return List.copyOf(firstFailures);
    }

    /** @return the highest live thread count seen while polling */
    int peakThreads() {
        return peakThreads.get();
    }

    /**
     * @return the states each breaker went through, e.g. {@code inventory: 0.0 s CLOSED (healthy), 5.2 s OPEN (...)}
     */
    String timeline() {
        return timeline("inventory", Sample::inventory) + System.lineSeparator() + timeline("pricing", Sample::pricing);
    }

    private String timeline(String breaker, Function<Sample, String> state) {
        StringBuilder line = new StringBuilder(breaker).append(':');
        String last = null;
        for (Sample sample : samples) {
            String now = state.apply(sample);
            if (!now.equals(last)) {
                line.append(String.format(" %.1f s %s (%s);", sample.atMillis() / 1000.0, now, sample.phase()));
                last = now;
            }
        }
        return line.toString();
    }

    private void fail(String why) {
        failures.increment();
        if (firstFailures.size() < 5) {
            firstFailures.add(why);
        }
    }

    /**
     * One poll's answer.
     *
     * @param atMillis milliseconds since the watch was created
     * @param phase the phase running when the poll was sent
     * @param inventory the state of the inventory breaker
     * @param pricing the state of the pricing breaker
     */
    record Sample(long atMillis, String phase, String inventory, String pricing) {
    }
}

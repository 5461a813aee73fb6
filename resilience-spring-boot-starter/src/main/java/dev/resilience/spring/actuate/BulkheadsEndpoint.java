package dev.resilience.spring.actuate;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.BulkheadMetrics;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadConfig;
import dev.resilience.bulkhead.ThreadPoolBulkheadMetrics;
import dev.resilience.core.Registry;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code bulkheads} actuator endpoint: semaphore bulkheads (type SEMAPHORE) and thread-pool bulkheads
 * (type THREADPOOL) together, by name. A thread-pool bulkhead's concurrent calls are its threads plus its queue:
 * {@code maxConcurrentCalls = maxThreadPoolSize + queueCapacity} and the available ones are what is left of both.
 * An unknown name is never created: it answers 404.
 *
 * <p>Once write access is granted with {@code management.endpoint.bulkheads.access=unrestricted}, a semaphore
 * bulkhead's settings change at run time, in place ({@code POST} {@code {"maxConcurrentCalls": 10}}: the calls in flight
 * keep their permits, the next acquisitions see the new maximum), and {@code DELETE} drops such changes. A thread-pool
 * bulkhead's cannot change at run time.
 */
@Endpoint(id = "bulkheads", defaultAccess = Access.READ_ONLY)
public class BulkheadsEndpoint {

    private final Registry<Bulkhead, BulkheadConfig> bulkheads;
    private final Registry<ThreadPoolBulkhead, ThreadPoolBulkheadConfig> threadPoolBulkheads;
    private final @Nullable SettingsChanges changes;

    /**
     * @param bulkheads semaphore bulkheads
     * @param threadPoolBulkheads thread-pool bulkheads
     */
    public BulkheadsEndpoint(Registry<Bulkhead, BulkheadConfig> bulkheads,
                             Registry<ThreadPoolBulkhead, ThreadPoolBulkheadConfig> threadPoolBulkheads) {
        this(bulkheads, threadPoolBulkheads, null);
    }

    /**
     * @param bulkheads semaphore bulkheads
     * @param threadPoolBulkheads thread-pool bulkheads
     * @param changes where settings changes go, or null: none can be made
     */
    public BulkheadsEndpoint(Registry<Bulkhead, BulkheadConfig> bulkheads,
                             Registry<ThreadPoolBulkhead, ThreadPoolBulkheadConfig> threadPoolBulkheads,
                             @Nullable SettingsChanges changes) {
        this.bulkheads = bulkheads;
        this.threadPoolBulkheads = threadPoolBulkheads;
        this.changes = changes;
    }

    /**
     * Changes settings of a running semaphore bulkhead in place (validated as at start-up, all or nothing; logged at
     * INFO with the old and new values; published as CONFIG_CHANGED). Kept until {@link #restore} or a restart, also
     * across refreshes of the application's properties.
     *
     * @param name instance name
     * @param maxConcurrentCalls calls admitted at once, as text
     * @param maxWaitDuration how long a caller may wait for a permit ({@code 100ms})
     * @return what changed, 404 for an unknown name, 400 for an invalid value or a thread-pool bulkhead (nothing
     *     changed)
     */
    @WriteOperation
    public WebEndpointResponse<Object> change(@Selector String name,
                                                                   @Nullable String maxConcurrentCalls,
                                                                   @Nullable String maxWaitDuration) {
        Map<String, String> settings = SettingsWrites.given("maxConcurrentCalls", maxConcurrentCalls, "maxWaitDuration",
                maxWaitDuration);
        if (settings.isEmpty()) {
            throw SettingsWrites.nothingGiven(java.util.List.of("maxConcurrentCalls", "maxWaitDuration"));
        }
        rejectThreadPool(name);
        return SettingsWrites.change(changes, "bulkhead", name, bulkheads.find(name).isPresent(), settings,
                () -> bulkheads.find(name).orElseThrow().config());
    }

    /**
     * Drops the settings changed through {@link #change}: the bulkhead goes back to its properties, in place.
     *
     * @param name instance name
     * @return what changed, 404 for an unknown name
     */
    @DeleteOperation
    public WebEndpointResponse<Object> restore(@Selector String name) {
        rejectThreadPool(name);
        return SettingsWrites.restore(changes, "bulkhead", name, bulkheads.find(name).isPresent(),
                () -> bulkheads.find(name).orElseThrow().config());
    }

    private void rejectThreadPool(String name) {
        if (bulkheads.find(name).isEmpty() && threadPoolBulkheads.find(name).isPresent()) {
            String message = "Bulkhead '" + name + "' is a thread-pool bulkhead, whose settings cannot change at run time";
            throw new org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException(message, message);
        }
    }

    /** @return every bulkhead of both types, sorted by name */
    @ReadOperation
    public Bulkheads bulkheads() {
        Map<String, BulkheadDescriptor> result = new TreeMap<>();
        threadPoolBulkheads.all().forEach(bulkhead -> result.put(bulkhead.name(), BulkheadDescriptor.of(bulkhead)));
        bulkheads.all().forEach(bulkhead -> result.put(bulkhead.name(), BulkheadDescriptor.of(bulkhead)));
        return new Bulkheads(result);
    }

    /**
     * @param name instance name (a semaphore bulkhead wins over a thread-pool bulkhead of the same name)
     * @return that bulkhead alone, or {@code null} (404) when there is none
     */
    @ReadOperation
    public @Nullable Bulkheads bulkhead(@Selector String name) {
        BulkheadDescriptor descriptor = bulkheads.find(name).map(BulkheadDescriptor::of)
                .or(() -> threadPoolBulkheads.find(name).map(BulkheadDescriptor::of))
                .orElse(null);
        return descriptor == null ? null : new Bulkheads(Map.of(name, descriptor));
    }

    /**
     * The endpoint's answer.
     *
     * @param bulkheads bulkheads by name
     */
    public record Bulkheads(Map<String, BulkheadDescriptor> bulkheads) {
    }

    /**
     * One bulkhead.
     *
     * @param type SEMAPHORE or THREADPOOL
     * @param maxConcurrentCalls calls admitted at once (threads plus queue for THREADPOOL)
     * @param availableConcurrentCalls how many more would be admitted now
     */
    public record BulkheadDescriptor(String type, int maxConcurrentCalls, int availableConcurrentCalls) {

        static BulkheadDescriptor of(Bulkhead bulkhead) {
            BulkheadMetrics metrics = bulkhead.metrics();
            return new BulkheadDescriptor("SEMAPHORE", metrics.maxConcurrentCalls(), metrics.availableConcurrentCalls());
        }

        static BulkheadDescriptor of(ThreadPoolBulkhead bulkhead) {
            ThreadPoolBulkheadMetrics metrics = bulkhead.metrics();
            int max = metrics.maxThreadPoolSize() + metrics.queueCapacity();
            int busy = metrics.activeThreads() + metrics.queueDepth();
            return new BulkheadDescriptor("THREADPOOL", max, Math.max(0, max - busy));
        }
    }
}

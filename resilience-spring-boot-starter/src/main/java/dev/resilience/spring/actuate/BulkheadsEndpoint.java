package dev.resilience.spring.actuate;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.BulkheadMetrics;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadConfig;
import dev.resilience.bulkhead.ThreadPoolBulkheadMetrics;
import dev.resilience.core.Registry;
import dev.resilience.keyed.KeyedMetrics;
import dev.resilience.keyed.KeyedPolicy;
import dev.resilience.spring.keyed.KeyedInstances;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The {@code bulkheads} actuator endpoint: semaphore bulkheads (type SEMAPHORE) and thread-pool bulkheads
 * (type THREADPOOL) together, by name. A thread-pool bulkhead's concurrent calls are its threads plus its queue:
 * {@code maxConcurrentCalls = maxThreadPoolSize + queueCapacity} and the available ones are what is left of both.
 * An unknown name is never created: it answers 404.
 *
 * <p>A keyed bulkhead ({@code @Bulkhead(key = ...)}) is one entry with its number of keys ({@code keys},
 * {@code maxKeys}); its {@code availableConcurrentCalls} is -1, since each key has its own. One key is looked up with
 * {@code /actuator/bulkheads/{name}?key=acme} (the key's string form): its own permits, or 404 when that key is not
 * held (it would start with every permit free).
 *
 * <p>Once write access is granted with {@code management.endpoint.bulkheads.access=unrestricted}, a bulkhead's settings
 * change at run time, in place, and {@code DELETE} drops such changes. A semaphore bulkhead takes
 * {@code maxConcurrentCalls} and {@code maxWaitDuration} ({@code POST} {@code {"maxConcurrentCalls": 10}}: the calls in
 * flight keep their permits, the next acquisitions see the new maximum); a thread-pool bulkhead takes
 * {@code coreThreadPoolSize}, {@code maxThreadPoolSize}, {@code queueCapacity} and {@code keepAliveDuration}
 * ({@code POST} {@code {"maxThreadPoolSize": 8, "queueCapacity": 50}}: every call running or queued still runs; see
 * {@link ThreadPoolBulkhead#reconfigure}). A setting of the other type is a 400, and nothing changes.
 */
@Endpoint(id = "bulkheads", defaultAccess = Access.READ_ONLY)
public class BulkheadsEndpoint {

    private static final List<String> SEMAPHORE_SETTINGS = List.of("maxConcurrentCalls", "maxWaitDuration");
    private static final List<String> THREAD_POOL_SETTINGS = List.of("coreThreadPoolSize", "maxThreadPoolSize",
            "queueCapacity", "keepAliveDuration");

    private final Registry<Bulkhead, BulkheadConfig> bulkheads;
    private final Registry<ThreadPoolBulkhead, ThreadPoolBulkheadConfig> threadPoolBulkheads;
    private final @Nullable KeyedInstances keyed;
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
     * @param keyed the keyed bulkheads to show, or {@code null}
     */
    public BulkheadsEndpoint(Registry<Bulkhead, BulkheadConfig> bulkheads,
                             Registry<ThreadPoolBulkhead, ThreadPoolBulkheadConfig> threadPoolBulkheads,
                             @Nullable KeyedInstances keyed) {
        this(bulkheads, threadPoolBulkheads, keyed, null);
    }

    /**
     * @param bulkheads the semaphore bulkheads to show and change
     * @param threadPoolBulkheads the thread-pool bulkheads to show and change
     * @param keyed the keyed bulkheads to show, or {@code null}
     * @param changes where settings changes go, or null: none can be made
     */
    public BulkheadsEndpoint(Registry<Bulkhead, BulkheadConfig> bulkheads,
                             Registry<ThreadPoolBulkhead, ThreadPoolBulkheadConfig> threadPoolBulkheads,
                             @Nullable KeyedInstances keyed, @Nullable SettingsChanges changes) {
        this.bulkheads = bulkheads;
        this.threadPoolBulkheads = threadPoolBulkheads;
        this.keyed = keyed;
        this.changes = changes;
    }

    /**
     * Changes settings of a running bulkhead in place (validated as at start-up, all or nothing; logged at INFO with the
     * old and new values; published as CONFIG_CHANGED). Kept until {@link #restore} or a restart, also across refreshes
     * of the application's properties. A semaphore bulkhead of the name wins over a thread-pool bulkhead of the same
     * name, as when reading.
     *
     * @param name instance name
     * @param maxConcurrentCalls semaphore: calls admitted at once, as text
     * @param maxWaitDuration semaphore: how long a caller may wait for a permit ({@code 100ms})
     * @param coreThreadPoolSize thread pool: threads kept even when idle
     * @param maxThreadPoolSize thread pool: most threads
     * @param queueCapacity thread pool: calls that may wait for a thread
     * @param keepAliveDuration thread pool: idle time after which a thread above the core size ends ({@code 20ms})
     * @return what changed, 404 for an unknown name, 400 for an invalid value or a setting of the other type of
     *     bulkhead (nothing changed)
     */
    @WriteOperation
    public WebEndpointResponse<Object> change(@Selector String name,
                                              @Nullable String maxConcurrentCalls,
                                              @Nullable String maxWaitDuration,
                                              @Nullable String coreThreadPoolSize,
                                              @Nullable String maxThreadPoolSize,
                                              @Nullable String queueCapacity,
                                              @Nullable String keepAliveDuration) {
        return SettingsWrites.answering(() -> {
            Map<String, String> semaphore = SettingsWrites.given("maxConcurrentCalls", maxConcurrentCalls, "maxWaitDuration",
                    maxWaitDuration);
            Map<String, String> threadPool = SettingsWrites.given("coreThreadPoolSize", coreThreadPoolSize,
                    "maxThreadPoolSize", maxThreadPoolSize, "queueCapacity", queueCapacity, "keepAliveDuration",
                    keepAliveDuration);
            if (semaphore.isEmpty() && threadPool.isEmpty()) {
                throw SettingsWrites.nothingGiven(Stream.concat(SEMAPHORE_SETTINGS.stream(), THREAD_POOL_SETTINGS.stream()).toList());
            }
            if (bulkheads.find(name).isEmpty() && threadPoolBulkheads.find(name).isPresent()) {
                requireOnly(name, "a thread-pool bulkhead", semaphore, THREAD_POOL_SETTINGS);
                return SettingsWrites.change(changes, "thread-pool-bulkhead", name, true, threadPool,
                        () -> threadPoolBulkheads.find(name).orElseThrow().config());
            }
            requireOnly(name, "a semaphore bulkhead", threadPool, SEMAPHORE_SETTINGS);
            return SettingsWrites.change(changes, "bulkhead", name, bulkheads.find(name).isPresent(), semaphore,
                    () -> bulkheads.find(name).orElseThrow().config());
        });
    }

    /**
     * Drops the settings changed through {@link #change}: the bulkhead goes back to its properties, in place.
     *
     * @param name instance name
     * @return what changed, 404 for an unknown name
     */
    @DeleteOperation
    public WebEndpointResponse<Object> restore(@Selector String name) {
        if (bulkheads.find(name).isEmpty() && threadPoolBulkheads.find(name).isPresent()) {
            return SettingsWrites.restore(changes, "thread-pool-bulkhead", name, true,
                    () -> threadPoolBulkheads.find(name).orElseThrow().config());
        }
        return SettingsWrites.restore(changes, "bulkhead", name, bulkheads.find(name).isPresent(),
                () -> bulkheads.find(name).orElseThrow().config());
    }

    /** A 400 when the body sets settings the bulkhead of that name does not have. */
    private static void requireOnly(String name, String type, Map<String, String> foreign, List<String> own) {
        if (!foreign.isEmpty()) {
            String message = "Bulkhead '" + name + "' is " + type + ": it has no " + String.join(", ", foreign.keySet())
                    + "; its settings are " + own + ". Nothing was changed.";
            throw new InvalidEndpointRequestException(message, "Send only " + own + ".");
        }
    }

    /** @return every bulkhead of both types, sorted by name */
    @ReadOperation
    public Bulkheads bulkheads() {
        Map<String, BulkheadDescriptor> result = new TreeMap<>();
        threadPoolBulkheads.all().forEach(bulkhead -> result.put(bulkhead.name(), BulkheadDescriptor.of(bulkhead)));
        if (keyed != null) {
            keyed.bulkheads().forEach(bulkhead -> result.put(bulkhead.name(), keyedDescriptor(bulkhead)));
        }
        bulkheads.all().forEach(bulkhead -> result.put(bulkhead.name(), BulkheadDescriptor.of(bulkhead)));
        return new Bulkheads(result);
    }

    /**
     * @param name instance name (a semaphore bulkhead wins over a keyed one, and that over a thread-pool bulkhead of
     *     the same name)
     * @param key for a keyed bulkhead, one key (its string form) to show alone; {@code null}: the instance
     * @return that bulkhead (or key) alone, or {@code null} (404) when there is none
     */
    @ReadOperation
    public @Nullable Bulkheads bulkhead(@Selector String name, @Nullable String key) {
        Optional<KeyedPolicy<Bulkhead>> keyedBulkhead = keyed == null ? Optional.empty() : keyed.findBulkhead(name);
        if (key != null) {
            return keyedBulkhead.flatMap(bulkhead -> bulkhead.findByString(key))
                    .map(bulkhead -> new Bulkheads(Map.of(name, BulkheadDescriptor.of(bulkhead).forKey(key))))
                    .orElse(null);
        }
        BulkheadDescriptor descriptor = bulkheads.find(name).map(BulkheadDescriptor::of)
                .or(() -> keyedBulkhead.map(this::keyedDescriptor))
                .or(() -> threadPoolBulkheads.find(name).map(BulkheadDescriptor::of))
                .orElse(null);
        return descriptor == null ? null : new Bulkheads(Map.of(name, descriptor));
    }

    private BulkheadDescriptor keyedDescriptor(KeyedPolicy<Bulkhead> bulkhead) {
        KeyedMetrics metrics = bulkhead.metrics();
        return new BulkheadDescriptor("SEMAPHORE", bulkheads.configFor(bulkhead.name()).maxConcurrentCalls(), -1,
                metrics.keys(), metrics.maxKeys(), null);
    }

    /**
     * The endpoint's answer; written by actuator's own JSON mapper ({@link OperationResponseBody}), which leaves out the
     * fields a descriptor does not have (the keyed ones of an unkeyed instance).
     *
     * @param bulkheads bulkheads by name
     */
    public record Bulkheads(Map<String, BulkheadDescriptor> bulkheads) implements OperationResponseBody {
    }

    /**
     * One bulkhead, or one key of a keyed one.
     *
     * @param type SEMAPHORE or THREADPOOL
     * @param maxConcurrentCalls calls admitted at once (threads plus queue for THREADPOOL; per key for a keyed one)
     * @param availableConcurrentCalls how many more would be admitted now; -1 for a keyed instance (each key has its
     *     own: look one up)
     * @param keys for a keyed instance, the keys it holds now; absent otherwise
     * @param maxKeys for a keyed instance, the most keys it holds; absent otherwise
     * @param key the key looked up; absent otherwise
     */
    public record BulkheadDescriptor(String type, int maxConcurrentCalls, int availableConcurrentCalls,
                                     @Nullable Integer keys, @Nullable Integer maxKeys, @Nullable String key) {

        /**
         * An unkeyed bulkhead.
         *
         * @param type SEMAPHORE or THREADPOOL
         * @param maxConcurrentCalls calls admitted at once
         * @param availableConcurrentCalls how many more would be admitted now
         */
        public BulkheadDescriptor(String type, int maxConcurrentCalls, int availableConcurrentCalls) {
            this(type, maxConcurrentCalls, availableConcurrentCalls, null, null, null);
        }

        BulkheadDescriptor forKey(String key) {
            return new BulkheadDescriptor(type, maxConcurrentCalls, availableConcurrentCalls, null, null, key);
        }

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

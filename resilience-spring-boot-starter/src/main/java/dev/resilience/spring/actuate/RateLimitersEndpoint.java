package dev.resilience.spring.actuate;

import dev.resilience.core.Registry;
import dev.resilience.keyed.KeyedMetrics;
import dev.resilience.keyed.KeyedPolicy;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.RateLimiterMetrics;
import dev.resilience.ratelimiter.StoreStatus;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.resilience.spring.keyed.KeyedInstances;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code ratelimiters} actuator endpoint: permits of every rate limiter, or of one. An unknown name is never
 * created: it answers 404.
 *
 * <p>A keyed rate limiter ({@code @RateLimited(key = ...)}) is one entry with its number of keys
 * ({@code keys}, {@code maxKeys}); its {@code availablePermissions} is -1, since each key has its own. One key is looked
 * up with {@code /actuator/ratelimiters/{name}?key=acme} (the key's string form): its own permits, or 404 when that key
 * is not held (it would start with the full limit).
 *
 * <p>Once write access is granted with {@code management.endpoint.ratelimiters.access=unrestricted}, a limiter's
 * settings change at run time, in place ({@code POST} {@code {"limitForPeriod": 50}}), and {@code DELETE} drops such
 * changes.
 */
@Endpoint(id = "ratelimiters", defaultAccess = Access.READ_ONLY)
public class RateLimitersEndpoint {

    private static final java.util.List<String> SETTINGS = java.util.List.of("limitForPeriod", "timeoutDuration", "limitRefreshPeriod");

    private final Registry<RateLimiter, RateLimiterConfig> registry;
    private final @Nullable KeyedInstances keyed;
    private final @Nullable SettingsChanges changes;

    /**
     * @param registry the rate limiters to show
     */
    public RateLimitersEndpoint(Registry<RateLimiter, RateLimiterConfig> registry) {
        this(registry, null, null);
    }

    /**
     * @param registry the rate limiters to show and change
     * @param keyed the keyed rate limiters to show, or {@code null}
     * @param changes where settings changes go, or null: none can be made
     */
    public RateLimitersEndpoint(Registry<RateLimiter, RateLimiterConfig> registry, @Nullable KeyedInstances keyed,
                                @Nullable SettingsChanges changes) {
        this.registry = registry;
        this.keyed = keyed;
        this.changes = changes;
    }

    /**
     * Changes settings of a running rate limiter in place, keeping its current period (validated as at start-up, all
     * or nothing; logged at INFO with the old and new values; published as CONFIG_CHANGED). The values are kept until
     * {@link #restore} or a restart, also across refreshes of the application's properties.
     *
     * @param name instance name
     * @param limitForPeriod permits per period, as text ({@code 50})
     * @param timeoutDuration how long a caller may wait for a permit ({@code 500ms})
     * @param limitRefreshPeriod the period: cannot change at run time, answered with a 400 naming the property
     * @return what changed, 404 for an unknown name, 400 for an invalid value (nothing changed)
     */
    @WriteOperation
    public WebEndpointResponse<Object> change(@Selector String name, @Nullable String limitForPeriod,
                                                                   @Nullable String timeoutDuration,
                                                                   @Nullable String limitRefreshPeriod) {
        return SettingsWrites.answering(() -> {
            Map<String, String> settings = SettingsWrites.given("limitForPeriod", limitForPeriod, "timeoutDuration",
                    timeoutDuration, "limitRefreshPeriod", limitRefreshPeriod);
            if (settings.isEmpty()) {
                throw SettingsWrites.nothingGiven(SETTINGS);
            }
            return SettingsWrites.change(changes, "ratelimiter", name, registry.find(name).isPresent(), settings,
                    () -> registry.find(name).orElseThrow().config());
        });
    }

    /**
     * Drops the settings changed through {@link #change}: the rate limiter goes back to its properties, in place.
     *
     * @param name instance name
     * @return what changed, 404 for an unknown name
     */
    @DeleteOperation
    public WebEndpointResponse<Object> restore(@Selector String name) {
        return SettingsWrites.restore(changes, "ratelimiter", name, registry.find(name).isPresent(),
                () -> registry.find(name).orElseThrow().config());
    }

    /**
     * @param registry the rate limiters to show
     * @param keyed the keyed rate limiters to show, or {@code null}
     */
    public RateLimitersEndpoint(Registry<RateLimiter, RateLimiterConfig> registry, @Nullable KeyedInstances keyed) {
        this(registry, keyed, null);
    }

    /** @return every rate limiter, keyed ones included, sorted by name */
    @ReadOperation
    public RateLimiters rateLimiters() {
        Map<String, RateLimiterDescriptor> result = new TreeMap<>();
        if (keyed != null) {
            keyed.rateLimiters().forEach(limiter -> result.put(limiter.name(), keyedDescriptor(limiter)));
        }
        registry.all().forEach(limiter -> result.put(limiter.name(), RateLimiterDescriptor.of(limiter)));
        return new RateLimiters(result);
    }

    /**
     * @param name instance name
     * @param key for a keyed rate limiter, one key (its string form) to show alone; {@code null}: the instance
     * @return that rate limiter (or key) alone, or {@code null} (404) when there is none
     */
    @ReadOperation
    public @Nullable RateLimiters rateLimiter(@Selector String name, @Nullable String key) {
        Optional<KeyedPolicy<RateLimiter>> keyedLimiter = keyed == null ? Optional.empty() : keyed.findRateLimiter(name);
        if (key != null) {
            return keyedLimiter.flatMap(limiter -> limiter.findByString(key))
                    .map(limiter -> new RateLimiters(Map.of(name, RateLimiterDescriptor.of(limiter).forKey(key))))
                    .orElse(null);
        }
        return registry.find(name).map(RateLimiterDescriptor::of)
                .or(() -> keyedLimiter.map(this::keyedDescriptor))
                .map(descriptor -> new RateLimiters(Map.of(name, descriptor)))
                .orElse(null);
    }

    private RateLimiterDescriptor keyedDescriptor(KeyedPolicy<RateLimiter> limiter) {
        KeyedMetrics metrics = limiter.metrics();
        return new RateLimiterDescriptor(registry.configFor(limiter.name()).limitForPeriod(), -1, metrics.waitingCalls(),
                metrics.keys(), metrics.maxKeys(), null);
    }

    /**
     * The endpoint's answer; written by actuator's own JSON mapper ({@link OperationResponseBody}), which leaves out the
     * fields a descriptor does not have (the keyed ones of an unkeyed instance).
     *
     * @param rateLimiters rate limiters by name
     */
    public record RateLimiters(Map<String, RateLimiterDescriptor> rateLimiters) implements OperationResponseBody {
    }

    /**
     * One rate limiter, or one key of a keyed one.
     *
     * @param limitForPeriod permits per refresh period
     * @param availablePermissions permits still free in the current period; -1 for a keyed instance (each key has its
     *     own: look one up)
     * @param waitingCalls calls waiting for a permit (over all keys of a keyed instance)
     * @param keys for a keyed instance, the keys it holds now; absent otherwise
     * @param maxKeys for a keyed instance, the most keys it holds; absent otherwise
     * @param key the key looked up; absent otherwise
     * @param store for a limiter whose permits a shared store counts ({@code store: redis}), how the store is doing;
     *     null, and left out of the JSON, for a local limiter
     */
    public record RateLimiterDescriptor(int limitForPeriod, int availablePermissions, int waitingCalls,
                                        @Nullable Integer keys, @Nullable Integer maxKeys, @Nullable String key,
                                        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable StoreDescriptor store) {

        /**
         * An unkeyed rate limiter without a shared store.
         *
         * @param limitForPeriod permits per refresh period
         * @param availablePermissions permits still free in the current period
         * @param waitingCalls calls waiting for a permit
         */
        public RateLimiterDescriptor(int limitForPeriod, int availablePermissions, int waitingCalls) {
            this(limitForPeriod, availablePermissions, waitingCalls, null, null, null, null);
        }

        /**
         * A keyed rate limiter, or one key of it.
         *
         * @param limitForPeriod permits per refresh period
         * @param availablePermissions permits still free (-1 for the keyed instance as a whole)
         * @param waitingCalls calls waiting for a permit
         * @param keys keys held, or null
         * @param maxKeys the most keys held, or null
         * @param key the key looked up, or null
         */
        public RateLimiterDescriptor(int limitForPeriod, int availablePermissions, int waitingCalls,
                                     @Nullable Integer keys, @Nullable Integer maxKeys, @Nullable String key) {
            this(limitForPeriod, availablePermissions, waitingCalls, keys, maxKeys, key, null);
        }

        static RateLimiterDescriptor of(RateLimiter limiter) {
            RateLimiterMetrics metrics = limiter.metrics();
            return new RateLimiterDescriptor(metrics.limitForPeriod(), metrics.availablePermissions(), metrics.waitingCalls(),
                    null, null, null, limiter.storeStatus().map(StoreDescriptor::of).orElse(null));
        }

        RateLimiterDescriptor forKey(String key) {
            return new RateLimiterDescriptor(limitForPeriod, availablePermissions, waitingCalls, null, null, key, store);
        }
    }

    /**
     * The shared store of one rate limiter.
     *
     * @param name the store, e.g. {@code redis}
     * @param key the key the limiter counts under in the store (before the store's own prefix)
     * @param available whether the store answered the last request
     * @param errors store failures (errors and command timeouts) since start-up
     * @param lastError the last failure, if any
     * @param onStoreFailure what the limiter does while the store fails: LOCAL, ALLOW or DENY
     */
    public record StoreDescriptor(String name, String key, boolean available, long errors,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String lastError,
                                  String onStoreFailure) {

        static StoreDescriptor of(StoreStatus status) {
            return new StoreDescriptor(status.store(), status.storeKey(), status.available(), status.errors(),
                    status.lastError(), status.onStoreFailure().name());
        }

        /** @return the same, as health details (no nulls) */
        Map<String, Object> details() {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("store", name);
            details.put("key", key);
            details.put("available", available);
            details.put("errors", errors);
            if (lastError != null) {
                details.put("lastError", lastError);
            }
            details.put("onStoreFailure", onStoreFailure);
            return details;
        }
    }
}

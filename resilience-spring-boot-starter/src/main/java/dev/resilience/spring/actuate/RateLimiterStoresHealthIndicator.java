package dev.resilience.spring.actuate;

import dev.resilience.core.Registry;
import dev.resilience.keyed.KeyedPolicy;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.StoreStatus;
import dev.resilience.spring.keyed.KeyedInstances;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code rateLimiterStores} health contributor: for every rate limiter whose permits a shared store counts
 * ({@code store: redis}), whether the store answers, its failures and the failure mode in force. A store that fails
 * reports {@link #STORE_UNAVAILABLE}, not DOWN: the limiters go on with their on-store-failure, and a Redis outage
 * must not get every healthy instance restarted (Spring Boot maps an unknown status to HTTP 200). A keyed instance
 * ({@code @RateLimited} with a {@code key}) is one entry, summing up the keys it holds now.
 */
public class RateLimiterStoresHealthIndicator extends AbstractHealthIndicator {

    /** Some rate limiter's shared store fails: its on-store-failure applies until it answers again. */
    public static final Status STORE_UNAVAILABLE = new Status("STORE_UNAVAILABLE");

    private final Registry<RateLimiter, RateLimiterConfig> registry;
    private final @Nullable KeyedInstances keyed;

    /**
     * @param registry the rate limiters to report (those without a store are left out)
     */
    public RateLimiterStoresHealthIndicator(Registry<RateLimiter, RateLimiterConfig> registry) {
        this(registry, null);
    }

    /**
     * @param registry the rate limiters to report (those without a store are left out)
     * @param keyed the keyed instances, whose keys' limiters are reported per instance (null: none)
     */
    public RateLimiterStoresHealthIndicator(Registry<RateLimiter, RateLimiterConfig> registry,
                                            @Nullable KeyedInstances keyed) {
        super("Rate limiter stores health check failed");
        this.registry = registry;
        this.keyed = keyed;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean allAvailable = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (RateLimiter limiter : registry.all()) {
            var status = limiter.storeStatus();
            if (status.isPresent()) {
                RateLimitersEndpoint.StoreDescriptor store = RateLimitersEndpoint.StoreDescriptor.of(status.get());
                details.put(limiter.name(), store.details());
                allAvailable &= store.available();
            }
        }
        if (keyed != null) {
            for (KeyedPolicy<RateLimiter> instance : keyed.rateLimiters()) {
                Map<String, Object> keyedDetails = keyedDetails(instance);
                if (keyedDetails != null) {
                    details.put(instance.name(), keyedDetails);
                    allAvailable &= (Boolean) keyedDetails.get("available");
                }
            }
        }
        builder.status(allAvailable ? Status.UP : STORE_UNAVAILABLE).withDetails(details);
    }

    /**
     * One entry for a keyed instance, not one per key (an instance may hold thousands): its store, how many of its keys
     * count in it, how many of those find it unavailable, its store failures (over all keys it held, dropped ones
     * included) and the failure mode. Null when its keys use no store.
     */
    private static @Nullable Map<String, Object> keyedDetails(KeyedPolicy<RateLimiter> instance) {
        String store = null;
        String onStoreFailure = null;
        int keys = 0;
        int unavailable = 0;
        for (Object key : instance.keys()) {
            Optional<StoreStatus> status = instance.find(key).flatMap(RateLimiter::storeStatus);
            if (status.isEmpty()) {
                continue;
            }
            StoreStatus s = status.get();
            store = s.store();
            onStoreFailure = s.onStoreFailure().name();
            keys++;
            if (!s.available()) {
                unavailable++;
            }
        }
        if (store == null) {
            return null;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("store", store);
        details.put("available", unavailable == 0);
        details.put("keys", keys);
        details.put("keysUnavailable", unavailable);
        // Over every key it held, dropped keys included, as its store.errors meter counts: never going down.
        details.put("errors", instance.storeErrors());
        details.put("onStoreFailure", onStoreFailure);
        return details;
    }
}

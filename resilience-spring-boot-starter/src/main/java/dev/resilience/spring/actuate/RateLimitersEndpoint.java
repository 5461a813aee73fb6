package dev.resilience.spring.actuate;

import dev.resilience.core.Registry;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.RateLimiterMetrics;
import dev.resilience.ratelimiter.StoreStatus;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code ratelimiters} actuator endpoint: permits of every rate limiter, or of one. An unknown name is never
 * created: it answers 404.
 */
@Endpoint(id = "ratelimiters", defaultAccess = Access.READ_ONLY)
public class RateLimitersEndpoint {

    private final Registry<RateLimiter, RateLimiterConfig> registry;

    /**
     * @param registry the rate limiters to show
     */
    public RateLimitersEndpoint(Registry<RateLimiter, RateLimiterConfig> registry) {
        this.registry = registry;
    }

    /** @return every rate limiter, sorted by name */
    @ReadOperation
    public RateLimiters rateLimiters() {
        Map<String, RateLimiterDescriptor> result = new LinkedHashMap<>();
        registry.all().forEach(limiter -> result.put(limiter.name(), RateLimiterDescriptor.of(limiter)));
        return new RateLimiters(result);
    }

    /**
     * @param name instance name
     * @return that rate limiter alone, or {@code null} (404) when there is none
     */
    @ReadOperation
    public @Nullable RateLimiters rateLimiter(@Selector String name) {
        return registry.find(name)
                .map(limiter -> new RateLimiters(Map.of(limiter.name(), RateLimiterDescriptor.of(limiter))))
                .orElse(null);
    }

    /**
     * The endpoint's answer.
     *
     * @param rateLimiters rate limiters by name
     */
    public record RateLimiters(Map<String, RateLimiterDescriptor> rateLimiters) {
    }

    /**
     * One rate limiter.
     *
     * @param limitForPeriod permits per refresh period
     * @param availablePermissions permits still free in the current period
     * @param waitingCalls calls waiting for a permit
     * @param store for a limiter whose permits a shared store counts ({@code store: redis}), how the store is doing;
     *     null, and left out of the JSON, for a local limiter
     */
    public record RateLimiterDescriptor(int limitForPeriod, int availablePermissions, int waitingCalls,
                                        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable StoreDescriptor store) {

        static RateLimiterDescriptor of(RateLimiter limiter) {
            RateLimiterMetrics metrics = limiter.metrics();
            return new RateLimiterDescriptor(metrics.limitForPeriod(), metrics.availablePermissions(), metrics.waitingCalls(),
                    limiter.storeStatus().map(StoreDescriptor::of).orElse(null));
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

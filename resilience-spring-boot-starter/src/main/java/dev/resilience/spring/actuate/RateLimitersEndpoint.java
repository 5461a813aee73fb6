package dev.resilience.spring.actuate;

import dev.resilience.core.Registry;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.RateLimiterMetrics;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code ratelimiters} actuator endpoint: permits of every rate limiter, or of one, and (once write access is
 * granted with {@code management.endpoint.ratelimiters.access=unrestricted}) changes of a limiter's settings at run
 * time, in place ({@code POST} {@code {"limitForPeriod": 50}}), and their removal ({@code DELETE}). An unknown name is
 * never created: it answers 404.
 */
@Endpoint(id = "ratelimiters", defaultAccess = Access.READ_ONLY)
public class RateLimitersEndpoint {

    private static final java.util.List<String> SETTINGS = java.util.List.of("limitForPeriod", "timeoutDuration", "limitRefreshPeriod");

    private final Registry<RateLimiter, RateLimiterConfig> registry;
    private final @Nullable SettingsChanges changes;

    /**
     * @param registry the rate limiters to show
     */
    public RateLimitersEndpoint(Registry<RateLimiter, RateLimiterConfig> registry) {
        this(registry, null);
    }

    /**
     * @param registry the rate limiters to show and change
     * @param changes where settings changes go, or null: none can be made
     */
    public RateLimitersEndpoint(Registry<RateLimiter, RateLimiterConfig> registry, @Nullable SettingsChanges changes) {
        this.registry = registry;
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
        Map<String, String> settings = SettingsWrites.given("limitForPeriod", limitForPeriod, "timeoutDuration",
                timeoutDuration, "limitRefreshPeriod", limitRefreshPeriod);
        if (settings.isEmpty()) {
            throw SettingsWrites.nothingGiven(SETTINGS);
        }
        return SettingsWrites.change(changes, "ratelimiter", name, registry.find(name).isPresent(), settings,
                () -> registry.find(name).orElseThrow().config());
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
     */
    public record RateLimiterDescriptor(int limitForPeriod, int availablePermissions, int waitingCalls) {

        static RateLimiterDescriptor of(RateLimiter limiter) {
            RateLimiterMetrics metrics = limiter.metrics();
            return new RateLimiterDescriptor(metrics.limitForPeriod(), metrics.availablePermissions(), metrics.waitingCalls());
        }
    }
}

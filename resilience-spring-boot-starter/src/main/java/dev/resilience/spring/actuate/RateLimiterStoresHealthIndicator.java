package dev.resilience.spring.actuate;

import dev.resilience.core.Registry;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code rateLimiterStores} health contributor: for every rate limiter whose permits a shared store counts
 * ({@code store: redis}), whether the store answers, its failures and the failure mode in force. A store that fails
 * reports {@link #STORE_UNAVAILABLE}, not DOWN: the limiters go on with their on-store-failure, and a Redis outage
 * must not get every healthy instance restarted (Spring Boot maps an unknown status to HTTP 200).
 */
public class RateLimiterStoresHealthIndicator extends AbstractHealthIndicator {

    /** Some rate limiter's shared store fails: its on-store-failure applies until it answers again. */
    public static final Status STORE_UNAVAILABLE = new Status("STORE_UNAVAILABLE");

    private final Registry<RateLimiter, RateLimiterConfig> registry;

    /**
     * @param registry the rate limiters to report (those without a store are left out)
     */
    public RateLimiterStoresHealthIndicator(Registry<RateLimiter, RateLimiterConfig> registry) {
        super("Rate limiter stores health check failed");
        this.registry = registry;
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
        builder.status(allAvailable ? Status.UP : STORE_UNAVAILABLE).withDetails(details);
    }
}

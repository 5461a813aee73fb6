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
     */
    public record RateLimiterDescriptor(int limitForPeriod, int availablePermissions, int waitingCalls) {

        static RateLimiterDescriptor of(RateLimiter limiter) {
            RateLimiterMetrics metrics = limiter.metrics();
            return new RateLimiterDescriptor(metrics.limitForPeriod(), metrics.availablePermissions(), metrics.waitingCalls());
        }
    }
}

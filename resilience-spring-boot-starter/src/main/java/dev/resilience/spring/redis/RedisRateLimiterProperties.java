package dev.resilience.spring.redis;

import java.time.Duration;

/**
 * Settings of the Redis store that rate limiters with {@code store: redis} share
 * ({@code resilience.ratelimiter.redis.*}). The connection itself is Spring Boot's ({@code spring.data.redis.*}).
 * Bound as part of the starter's {@code resilience.*} properties.
 */
public class RedisRateLimiterProperties {

    /**
     * How long a call waits for Redis's answer before the rate limiter's on-store-failure applies; positive. Also the
     * most a call waits when Redis is down or slow (only the calls already asking when it failed; later calls apply
     * on-store-failure at once until Redis answers again).
     */
    private Duration commandTimeout = Duration.ofMillis(100);

    /**
     * Put before every Redis key the rate limiters use (a limiter's key is this prefix followed by its name in braces,
     * a Redis Cluster hash tag). Services that must not share limits with each other on one Redis need different
     * prefixes; every instance of one service must use the same.
     */
    private String keyPrefix = "resilience:ratelimiter:";

    public Duration getCommandTimeout() {
        return commandTimeout;
    }

    public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    public String getKeyPrefix() {
        return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }
}

package dev.resilience.spring.redis;

import java.time.Duration;

/**
 * Settings of the Redis store of retry budget groups whose {@code budget.store} is {@code redis}
 * ({@code resilience.retry.redis.*}). The connection itself is Spring Boot's ({@code spring.data.redis.*}). Bound as
 * part of the starter's {@code resilience.*} properties.
 */
public class RedisRetryBudgetProperties {

    /**
     * Put before every Redis key the retry budgets use (a group's keys are this prefix, the group in braces, a Redis
     * Cluster hash tag, and a suffix). Every instance of one service must use the same.
     */
    private String keyPrefix = "resilience:retry-budget:";

    /**
     * How often a budget in use reports its counts to Redis and takes its next lease of retries, positive. Shorter
     * follows the fleet more closely at the cost of more Redis calls (one per group and instance per interval, only
     * while the group is in use).
     */
    private Duration syncInterval = Duration.ofMillis(100);

    public String getKeyPrefix() {
        return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    public Duration getSyncInterval() {
        return syncInterval;
    }

    public void setSyncInterval(Duration syncInterval) {
        this.syncInterval = syncInterval;
    }
}

package dev.resilience.spring.autoconfigure;

import dev.resilience.ratelimiter.StoreFailureMode;

import java.time.Duration;

/**
 * Settings of one rate limiter instance or shared config ({@code resilience.ratelimiter.*}).
 * Each unset value comes from the base config, else {@code configs.default}, else the built-in default.
 */
public class RateLimiterProperties extends InstanceProperties {

    /** Calls permitted in each period, at least 1. Default 50. */
    private Integer limitForPeriod;

    /** Shortest length of a period, positive; the permits are renewed when the next period begins, as soon as this has passed (a little later on a busy machine, never earlier). Default 1s. */
    private Duration limitRefreshPeriod;

    /**
     * How long a call waits for a permit before it is rejected, zero or positive. A call whose permit would come later
     * than this is rejected at once (Resilience4j first parks it for the whole timeout). A timeout too long for a long
     * of nanoseconds (about 292 years) means practically for ever (Resilience4j refuses it). Default 5s.
     */
    private Duration timeoutDuration;

    /**
     * Most keys a keyed rate limiter (@RateLimited with a {@code key}) holds, at least 1; beyond it the least recently used idle
     * key is dropped, and a new key is rejected while every key has a call in flight. Ignored without a key. Default
     * 10000.
     */
    private Integer maxKeys;

    /**
     * How long a key of a keyed rate limiter may stay unused before it is dropped, positive. Ignored without a key.
     * Default 10m.
     */
    private Duration keyIdleExpiry;

    /**
     * Where permits are counted: 'local' (this instance alone) or 'redis' (one limit shared by every instance that
     * uses the same Redis, key prefix and limiter name; needs Spring Data Redis with Lettuce). Default local.
     */
    private String store;

    /**
     * What a limiter with store 'redis' does while Redis fails or does not answer within
     * 'resilience.ratelimiter.redis.command-timeout': LOCAL (each instance enforces the limit on its own), ALLOW
     * (admit every call) or DENY (refuse every call). Recovery is automatic. Default LOCAL.
     */
    private StoreFailureMode onStoreFailure;

    public String getStore() {
        return store;
    }

    public void setStore(String store) {
        this.store = store;
    }

    public StoreFailureMode getOnStoreFailure() {
        return onStoreFailure;
    }

    public void setOnStoreFailure(StoreFailureMode onStoreFailure) {
        this.onStoreFailure = onStoreFailure;
    }

    public Integer getLimitForPeriod() {
        return limitForPeriod;
    }

    public void setLimitForPeriod(Integer limitForPeriod) {
        this.limitForPeriod = limitForPeriod;
    }

    public Duration getLimitRefreshPeriod() {
        return limitRefreshPeriod;
    }

    public void setLimitRefreshPeriod(Duration limitRefreshPeriod) {
        this.limitRefreshPeriod = limitRefreshPeriod;
    }

    public Duration getTimeoutDuration() {
        return timeoutDuration;
    }

    public void setTimeoutDuration(Duration timeoutDuration) {
        this.timeoutDuration = timeoutDuration;
    }

    public Integer getMaxKeys() {
        return maxKeys;
    }

    public void setMaxKeys(Integer maxKeys) {
        this.maxKeys = maxKeys;
    }

    public Duration getKeyIdleExpiry() {
        return keyIdleExpiry;
    }

    public void setKeyIdleExpiry(Duration keyIdleExpiry) {
        this.keyIdleExpiry = keyIdleExpiry;
    }
}

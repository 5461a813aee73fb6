package dev.resilience.spring.autoconfigure;

import java.time.Duration;

/**
 * Settings of one semaphore bulkhead instance or shared config ({@code resilience.bulkhead.*}).
 * Each unset value comes from the base config, else {@code configs.default}, else the built-in default.
 */
public class BulkheadProperties extends InstanceProperties {

    /**
     * Calls allowed to run at the same time, at least 1 (0 fails start-up; Resilience4j builds a bulkhead that rejects
     * every call). Default 25.
     */
    private Integer maxConcurrentCalls;

    /** How long a call waits for a free slot before it is rejected, zero or positive. Default 0 (reject at once). */
    private Duration maxWaitDuration;

    /**
     * Most keys a keyed bulkhead (@Bulkhead with a {@code key}) holds, at least 1; beyond it the least recently used idle
     * key is dropped, and a new key is rejected while every key has a call in flight. Ignored without a key. Default
     * 10000.
     */
    private Integer maxKeys;

    /**
     * How long a key of a keyed bulkhead may stay unused before it is dropped, positive. Ignored without a key.
     * Default 10m.
     */
    private Duration keyIdleExpiry;

    public Integer getMaxConcurrentCalls() {
        return maxConcurrentCalls;
    }

    public void setMaxConcurrentCalls(Integer maxConcurrentCalls) {
        this.maxConcurrentCalls = maxConcurrentCalls;
    }

    public Duration getMaxWaitDuration() {
        return maxWaitDuration;
    }

    public void setMaxWaitDuration(Duration maxWaitDuration) {
        this.maxWaitDuration = maxWaitDuration;
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

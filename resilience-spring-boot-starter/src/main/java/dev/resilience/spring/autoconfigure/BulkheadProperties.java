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
}

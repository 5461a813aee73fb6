package dev.resilience.spring.autoconfigure;

import java.time.Duration;
import java.util.List;

/**
 * Settings of one retry instance or shared config ({@code resilience.retry.*}).
 * Each unset value comes from the base config, else {@code configs.default}, else the built-in default.
 */
public class RetryProperties extends InstanceProperties {

    /** Attempts in total, the first call included, at least 1 (1 = no retry). Default 3. */
    private Integer maxAttempts;

    /** Wait before the first retry, zero or positive. Default 500ms. */
    private Duration waitDuration;

    /** Factor by which each further wait grows, at least 1 (1 = fixed waits). Default 1. */
    private Double exponentialBackoffMultiplier;

    /** Cap on any single wait when backing off exponentially, positive. Default: no cap. */
    private Duration exponentialMaxWaitDuration;

    /** Jitter: each wait is drawn at random within plus or minus this fraction of it, from 0 to 1. Default 0. */
    private Double randomizedWaitFactor;

    /** Exception classes (fully qualified names, subclasses included) that are retried. Empty: every exception not ignored. */
    private List<String> retryExceptions;

    /** Exception classes (fully qualified names, subclasses included) that are never retried. Wins over retry-exceptions. */
    private List<String> ignoreExceptions;

    public Integer getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(Integer maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getWaitDuration() {
        return waitDuration;
    }

    public void setWaitDuration(Duration waitDuration) {
        this.waitDuration = waitDuration;
    }

    public Double getExponentialBackoffMultiplier() {
        return exponentialBackoffMultiplier;
    }

    public void setExponentialBackoffMultiplier(Double exponentialBackoffMultiplier) {
        this.exponentialBackoffMultiplier = exponentialBackoffMultiplier;
    }

    public Duration getExponentialMaxWaitDuration() {
        return exponentialMaxWaitDuration;
    }

    public void setExponentialMaxWaitDuration(Duration exponentialMaxWaitDuration) {
        this.exponentialMaxWaitDuration = exponentialMaxWaitDuration;
    }

    public Double getRandomizedWaitFactor() {
        return randomizedWaitFactor;
    }

    public void setRandomizedWaitFactor(Double randomizedWaitFactor) {
        this.randomizedWaitFactor = randomizedWaitFactor;
    }

    public List<String> getRetryExceptions() {
        return retryExceptions;
    }

    public void setRetryExceptions(List<String> retryExceptions) {
        this.retryExceptions = retryExceptions;
    }

    public List<String> getIgnoreExceptions() {
        return ignoreExceptions;
    }

    public void setIgnoreExceptions(List<String> ignoreExceptions) {
        this.ignoreExceptions = ignoreExceptions;
    }
}

package dev.resilience.spring.autoconfigure;

import java.time.Duration;

/**
 * Settings of one timeout instance or shared config ({@code resilience.timeout.*}; Resilience4j's
 * {@code resilience4j.timelimiter.*}).
 * Each unset value comes from the base config, else {@code configs.default}, else the built-in default.
 */
public class TimeoutProperties extends InstanceProperties {

    /** How long a call may take before the caller gets a timeout, positive. Default 1s. */
    private Duration timeoutDuration;

    /** Whether the timed-out work is cancelled (a blocking call's thread is interrupted). Default true. */
    private Boolean cancelRunningFuture;

    public Duration getTimeoutDuration() {
        return timeoutDuration;
    }

    public void setTimeoutDuration(Duration timeoutDuration) {
        this.timeoutDuration = timeoutDuration;
    }

    public Boolean getCancelRunningFuture() {
        return cancelRunningFuture;
    }

    public void setCancelRunningFuture(Boolean cancelRunningFuture) {
        this.cancelRunningFuture = cancelRunningFuture;
    }
}

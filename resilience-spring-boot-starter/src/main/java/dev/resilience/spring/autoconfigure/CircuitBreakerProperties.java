package dev.resilience.spring.autoconfigure;

import dev.resilience.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;

import java.time.Duration;
import java.util.List;

/**
 * Settings of one circuit breaker instance or shared config ({@code resilience.circuitbreaker.*}).
 * Each unset value comes from the base config, else {@code configs.default}, else the built-in default.
 */
public class CircuitBreakerProperties extends InstanceProperties {

    /** How the sliding window is measured: the last N calls, or the calls of the last N seconds. Default COUNT_BASED. */
    private SlidingWindowType slidingWindowType;

    /** Size of the sliding window: calls (COUNT_BASED, 1 to 65535) or seconds (TIME_BASED, 1 to 3600). Default 100. */
    private Integer slidingWindowSize;

    /**
     * Calls that must be recorded in the window before any rate is computed, at least 1, and at most a COUNT_BASED
     * window's size (a larger value fails start-up; Resilience4j lowers it to the size silently). Default 100, or a
     * smaller COUNT_BASED window's size.
     */
    private Integer minimumNumberOfCalls;

    /** Failure rate, in percent (above 0, at most 100), at or above which the breaker opens. Default 50. */
    private Float failureRateThreshold;

    /**
     * Slow-call rate, in percent (above 0, at most 100), at or above which the breaker opens. Default 50
     * (Resilience4j's is 100: set 100 to keep its behaviour).
     */
    private Float slowCallRateThreshold;

    /**
     * Duration above which a call counts as slow; 0 turns slow-call detection off (Resilience4j refuses 0). Thresholds of 1s or more are timed
     * with a 10ms-resolution clock (a call within 10ms of the threshold may be classified either way), shorter ones
     * exactly. Default 60s.
     */
    private Duration slowCallDurationThreshold;

    /** How long the breaker stays open before letting trial calls through, positive. Default 60s. */
    private Duration waitDurationInOpenState;

    /**
     * Factor, at least 1, by which each opening in a row (half-open trials failing again) waits longer than the one
     * before, up to max-wait-duration-in-open-state; closing starts again from wait-duration-in-open-state. Applies as
     * soon as it is set (Resilience4j's enable-exponential-backoff switch with its default multiplier is 1.5 here).
     * Default 1.
     */
    private Double waitDurationInOpenStateMultiplier;

    /** Longest open-state wait that wait-duration-in-open-state-multiplier grows to, at least wait-duration-in-open-state. Default none. */
    private Duration maxWaitDurationInOpenState;

    /** Trial calls let through in the half-open state, whose outcome decides closed or open, at least 1. Default 10. */
    private Integer permittedNumberOfCallsInHalfOpenState;

    /** Longest time in the half-open state before going back to open; 0 waits for all trial calls. Default 0. */
    private Duration maxWaitDurationInHalfOpenState;

    /** Whether a timer moves the breaker from open to half-open, rather than the first call after the wait. Default false. */
    private Boolean automaticTransitionFromOpenToHalfOpenEnabled;

    /**
     * Exception classes (fully qualified names, subclasses included) that count as failures; any other exception
     * that is not ignored counts as a success, as in Resilience4j (the dependency answered). Empty: every exception
     * that is not ignored is a failure. An Error counts only where an Error class is listed.
     */
    private List<String> recordExceptions;

    /** Exception classes (fully qualified names, subclasses included) that count as neither success nor failure. Wins over record-exceptions. */
    private List<String> ignoreExceptions;

    /**
     * Whether an OPEN breaker makes the {@code circuitBreakers} health contributor report DOWN instead of
     * CIRCUIT_OPEN. Off by default, so that a failing downstream does not fail a liveness probe. Default false.
     */
    private Boolean allowHealthIndicatorToFail;

    public SlidingWindowType getSlidingWindowType() {
        return slidingWindowType;
    }

    public void setSlidingWindowType(SlidingWindowType slidingWindowType) {
        this.slidingWindowType = slidingWindowType;
    }

    public Integer getSlidingWindowSize() {
        return slidingWindowSize;
    }

    public void setSlidingWindowSize(Integer slidingWindowSize) {
        this.slidingWindowSize = slidingWindowSize;
    }

    public Integer getMinimumNumberOfCalls() {
        return minimumNumberOfCalls;
    }

    public void setMinimumNumberOfCalls(Integer minimumNumberOfCalls) {
        this.minimumNumberOfCalls = minimumNumberOfCalls;
    }

    public Float getFailureRateThreshold() {
        return failureRateThreshold;
    }

    public void setFailureRateThreshold(Float failureRateThreshold) {
        this.failureRateThreshold = failureRateThreshold;
    }

    public Float getSlowCallRateThreshold() {
        return slowCallRateThreshold;
    }

    public void setSlowCallRateThreshold(Float slowCallRateThreshold) {
        this.slowCallRateThreshold = slowCallRateThreshold;
    }

    public Duration getSlowCallDurationThreshold() {
        return slowCallDurationThreshold;
    }

    public void setSlowCallDurationThreshold(Duration slowCallDurationThreshold) {
        this.slowCallDurationThreshold = slowCallDurationThreshold;
    }

    public Duration getWaitDurationInOpenState() {
        return waitDurationInOpenState;
    }

    public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
        this.waitDurationInOpenState = waitDurationInOpenState;
    }

    public Double getWaitDurationInOpenStateMultiplier() {
        return waitDurationInOpenStateMultiplier;
    }

    public void setWaitDurationInOpenStateMultiplier(Double waitDurationInOpenStateMultiplier) {
        this.waitDurationInOpenStateMultiplier = waitDurationInOpenStateMultiplier;
    }

    public Duration getMaxWaitDurationInOpenState() {
        return maxWaitDurationInOpenState;
    }

    public void setMaxWaitDurationInOpenState(Duration maxWaitDurationInOpenState) {
        this.maxWaitDurationInOpenState = maxWaitDurationInOpenState;
    }

    public Integer getPermittedNumberOfCallsInHalfOpenState() {
        return permittedNumberOfCallsInHalfOpenState;
    }

    public void setPermittedNumberOfCallsInHalfOpenState(Integer permittedNumberOfCallsInHalfOpenState) {
        this.permittedNumberOfCallsInHalfOpenState = permittedNumberOfCallsInHalfOpenState;
    }

    public Duration getMaxWaitDurationInHalfOpenState() {
        return maxWaitDurationInHalfOpenState;
    }

    public void setMaxWaitDurationInHalfOpenState(Duration maxWaitDurationInHalfOpenState) {
        this.maxWaitDurationInHalfOpenState = maxWaitDurationInHalfOpenState;
    }

    public Boolean getAutomaticTransitionFromOpenToHalfOpenEnabled() {
        return automaticTransitionFromOpenToHalfOpenEnabled;
    }

    public void setAutomaticTransitionFromOpenToHalfOpenEnabled(Boolean automaticTransitionFromOpenToHalfOpenEnabled) {
        this.automaticTransitionFromOpenToHalfOpenEnabled = automaticTransitionFromOpenToHalfOpenEnabled;
    }

    public List<String> getRecordExceptions() {
        return recordExceptions;
    }

    public void setRecordExceptions(List<String> recordExceptions) {
        this.recordExceptions = recordExceptions;
    }

    public List<String> getIgnoreExceptions() {
        return ignoreExceptions;
    }

    public void setIgnoreExceptions(List<String> ignoreExceptions) {
        this.ignoreExceptions = ignoreExceptions;
    }

    public Boolean getAllowHealthIndicatorToFail() {
        return allowHealthIndicatorToFail;
    }

    public void setAllowHealthIndicatorToFail(Boolean allowHealthIndicatorToFail) {
        this.allowHealthIndicatorToFail = allowHealthIndicatorToFail;
    }
}

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

    /**
     * Factor by which each further wait grows, at least 1 (1 = fixed waits). Applies as soon as it is set: there is
     * no enable-exponential-backoff switch (Resilience4j's switch with its default multiplier is 1.5 here). Default 1.
     */
    private Double exponentialBackoffMultiplier;

    /** Cap on any single wait when backing off exponentially, positive. Default: no cap. */
    private Duration exponentialMaxWaitDuration;

    /**
     * Jitter: each wait is drawn at random within plus or minus this fraction of it, from 0 to 1. Applies as soon as
     * it is set: there is no enable-randomized-wait switch (Resilience4j's switch with its default factor is 0.5
     * here). Waits that reached exponential-max-wait-duration still spread below it, over [cap * (1 - factor), cap]
     * (Resilience4j's all equal the cap, so retries that reached it move in step). Default 0.
     */
    private Double randomizedWaitFactor;

    /** Exception classes (fully qualified names, subclasses included) that are retried. Empty: every exception not ignored. */
    private List<String> retryExceptions;

    /** Exception classes (fully qualified names, subclasses included) that are never retried. Wins over retry-exceptions. */
    private List<String> ignoreExceptions;

    /**
     * Rejections (fully qualified names) that are retried like any failure: any of
     * dev.resilience.circuitbreaker.CallNotPermittedException, dev.resilience.bulkhead.BulkheadFullException,
     * dev.resilience.ratelimiter.RequestNotPermittedException and dev.resilience.ShutdownInProgressException (or a
     * subclass). Empty: each of them ends the retry at once and reaches the caller, since another attempt would
     * wait a backoff only to be refused again. A timeout is retried like any failure without being listed.
     */
    private List<String> retryRejections;

    /**
     * Longest time a call may take over all its attempts and backoffs, positive: a deadline for everything the retry
     * calls. Each attempt runs with the earlier of the caller's deadline and the retry's start plus this as its
     * deadline (seen by nested calls and the outgoing HTTP header); no attempt starts, and no backoff sleeps, past
     * it. Default: no limit (a deadline set by an enclosing timeout or request still applies).
     */
    private Duration maxDuration;

    /**
     * Name of a bean of type dev.resilience.retry.IntervalBiFunction that decides the wait before each retry from the
     * attempt number and its outcome (e.g. a Retry-After from a 429 or 503 answer); where it returns null the
     * configured backoff applies, and what it returns is used as it is (no cap, no jitter). An unknown bean or a bean
     * of another type fails start-up. Default: none (the configured backoff alone).
     */
    private String intervalFunction;

    /**
     * Whether a call whose attempts all returned a result marked for retry ends with
     * dev.resilience.retry.MaxRetriesExceededException (carrying the last result) instead of returning that result.
     * Only running out of attempts fails this way. Default false.
     */
    private Boolean failAfterMaxAttempts;

    /** Retry budget: a cap on the extra load retries add, as a share of first attempts. */
    private final Budget budget = new Budget();

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

    public List<String> getRetryRejections() {
        return retryRejections;
    }

    public void setRetryRejections(List<String> retryRejections) {
        this.retryRejections = retryRejections;
    }

    public Duration getMaxDuration() {
        return maxDuration;
    }

    public void setMaxDuration(Duration maxDuration) {
        this.maxDuration = maxDuration;
    }

    public String getIntervalFunction() {
        return intervalFunction;
    }

    public void setIntervalFunction(String intervalFunction) {
        this.intervalFunction = intervalFunction;
    }

    public Boolean getFailAfterMaxAttempts() {
        return failAfterMaxAttempts;
    }

    public void setFailAfterMaxAttempts(Boolean failAfterMaxAttempts) {
        this.failAfterMaxAttempts = failAfterMaxAttempts;
    }

    public Budget getBudget() {
        return budget;
    }

    /**
     * Retry budget settings. Over a window of n seconds, at most
     * {@code floor(ratio * first attempts in the window + min-retries-per-second * n)} retries are made; a retry
     * beyond that ends its call with its last failure at once.
     */
    public static class Budget {

        /**
         * Whether retries draw on a budget. Default false. The other budget settings apply only when true, and
         * setting any of them while this is unset (here and in the base configs) fails start-up; set it to false to
         * keep shared budget settings for the instances that enable the budget.
         */
        private Boolean enabled;

        /** Retries allowed per first attempt in the window, zero or positive (0.2: at most 20% extra load). Default 0.2. */
        private Double ratio;

        /** Sliding window over which retries and first attempts are counted, whole seconds from 1s to 1h. Default 10s. */
        private Duration window;

        /** Retries per second of the window allowed whatever the traffic, so that a quiet service still retries. Default 10. */
        private Double minRetriesPerSecond;

        /**
         * Name of a budget shared by every retry that names it (e.g. all methods calling one downstream); its members
         * must agree on the other budget settings. Default: a budget of the retry's own.
         */
        private String group;

        /**
         * Where the group's budget is counted: 'local' (this instance's budget) or 'redis' (one budget for every
         * instance that uses the same Redis and group; needs a group, and Spring Data Redis with Lettuce). A first
         * attempt never waits for Redis: counts are synced every 'resilience.retry.redis.sync-interval'. Default local.
         */
        private String store;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public Double getRatio() {
            return ratio;
        }

        public void setRatio(Double ratio) {
            this.ratio = ratio;
        }

        public Duration getWindow() {
            return window;
        }

        public void setWindow(Duration window) {
            this.window = window;
        }

        public Double getMinRetriesPerSecond() {
            return minRetriesPerSecond;
        }

        public void setMinRetriesPerSecond(Double minRetriesPerSecond) {
            this.minRetriesPerSecond = minRetriesPerSecond;
        }

        public String getGroup() {
            return group;
        }

        public void setGroup(String group) {
            this.group = group;
        }

        public String getStore() {
            return store;
        }

        public void setStore(String store) {
            this.store = store;
        }
    }
}

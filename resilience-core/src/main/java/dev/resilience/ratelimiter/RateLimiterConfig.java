package dev.resilience.ratelimiter;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.internal.Validate;

import java.time.Duration;

/**
 * The immutable, validated settings of a {@link RateLimiter}: at most {@link #limitForPeriod()} calls are
 * admitted in each period, a period lasts at least {@link #limitRefreshPeriod()} (it may end a little late on a busy
 * machine, which only admits fewer), and a caller that finds no permit waits up to {@link #timeoutDuration()} for
 * one. Every builder method validates its value at once and throws
 * {@link InvalidConfigException} naming the setting, the value and the allowed range. Immutable and
 * thread-safe.
 */
public final class RateLimiterConfig {

    private static final RateLimiterConfig DEFAULTS = new Builder().build();

    private final int limitForPeriod;
    private final Duration limitRefreshPeriod;
    private final Duration timeoutDuration;
    private final int maxKeys;
    private final Duration keyIdleExpiry;
    private final StoreFailureMode onStoreFailure;

    private RateLimiterConfig(Builder b) {
        this.limitForPeriod = b.limitForPeriod;
        this.limitRefreshPeriod = b.limitRefreshPeriod;
        this.timeoutDuration = b.timeoutDuration;
        this.maxKeys = b.maxKeys;
        this.keyIdleExpiry = b.keyIdleExpiry;
        this.onStoreFailure = b.onStoreFailure;
    }

    /** @return the defaults: 50 permits per 1 s period, 5 s timeout */
    public static RateLimiterConfig defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from this config's values */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return permits per period (at least 1; default 50) */
    public int limitForPeriod() {
        return limitForPeriod;
    }

    /**
     * @return the shortest length of a period (positive, at least 1 ns; default 1 s): the next period begins as soon
     *     as this has passed since the current one began, opened by the limiter's timer or by the first caller that
     *     finds it due; below 1 ms no timer is used and periods open only on demand
     */
    public Duration limitRefreshPeriod() {
        return limitRefreshPeriod;
    }

    /** @return how long a caller may wait for a permit (zero or positive; default 5 s) */
    public Duration timeoutDuration() {
        return timeoutDuration;
    }

    /**
     * @return for a keyed limiter ({@link dev.resilience.keyed.KeyedPolicy#rateLimiter}), how many keys it holds at
     *     most (at least 1; default 10,000); a plain limiter ignores it
     */
    public int maxKeys() {
        return maxKeys;
    }

    /**
     * @return for a keyed limiter, how long a key may stay unused before it is dropped (positive; default 10 min); a
     *     plain limiter ignores it
     */
    public Duration keyIdleExpiry() {
        return keyIdleExpiry;
    }

    /**
     * @return what a limiter backed by a shared store does while the store fails (default
     *     {@link StoreFailureMode#LOCAL}); a limiter without a store ignores it
     */
    public StoreFailureMode onStoreFailure() {
        return onStoreFailure;
    }

    @Override
    public String toString() {
        return "RateLimiterConfig{limitForPeriod=" + limitForPeriod + ", limitRefreshPeriod=" + limitRefreshPeriod
                + ", timeoutDuration=" + timeoutDuration + ", maxKeys=" + maxKeys + ", keyIdleExpiry=" + keyIdleExpiry + ", onStoreFailure=" + onStoreFailure + '}';
    }

    /** Builds a {@link RateLimiterConfig}; each method validates at once, nothing is clamped. Not thread-safe. */
    public static final class Builder {

        private int limitForPeriod = 50;
        private Duration limitRefreshPeriod = Duration.ofSeconds(1);
        private Duration timeoutDuration = Duration.ofSeconds(5);
        private int maxKeys = dev.resilience.keyed.KeyedPolicy.DEFAULT_MAX_KEYS;
        private Duration keyIdleExpiry = dev.resilience.keyed.KeyedPolicy.DEFAULT_KEY_IDLE_EXPIRY;
        private StoreFailureMode onStoreFailure = StoreFailureMode.LOCAL;

        private Builder() {
        }

        private Builder(RateLimiterConfig c) {
            limitForPeriod = c.limitForPeriod;
            limitRefreshPeriod = c.limitRefreshPeriod;
            timeoutDuration = c.timeoutDuration;
            maxKeys = c.maxKeys;
            keyIdleExpiry = c.keyIdleExpiry;
            onStoreFailure = c.onStoreFailure;
        }

        /**
         * @param limitForPeriod calls admitted per period; at least 1. Default 50.
         * @return this builder
         */
        public Builder limitForPeriod(int limitForPeriod) {
            this.limitForPeriod = Validate.atLeast("limitForPeriod", limitForPeriod, 1);
            return this;
        }

        /**
         * @param period the shortest length of a period; positive (sub-millisecond periods down to 1 ns are allowed,
         *     and open only on demand; at most about 292 years). Default 1 s.
         * @return this builder
         */
        public Builder limitRefreshPeriod(Duration period) {
            Validate.positive("limitRefreshPeriod", period);
            try {
                period.toNanos();
            } catch (ArithmeticException tooLong) {
                throw new InvalidConfigException("limitRefreshPeriod", period, "a positive duration of at most " + Duration.ofNanos(Long.MAX_VALUE));
            }
            this.limitRefreshPeriod = period;
            return this;
        }

        /**
         * @param timeout how long a caller may wait for a permit; zero (never wait) or positive. Default 5 s.
         *     Unlike Resilience4j, a caller whose permit would come later than this is refused at once, without first
         *     parking for the whole timeout. A timeout too long for a {@code long} of nanoseconds (about 292 years)
         *     means practically for ever.
         * @return this builder
         */
        public Builder timeoutDuration(Duration timeout) {
            this.timeoutDuration = Validate.notNegative("timeoutDuration", timeout);
            return this;
        }

        /**
         * @param maxKeys for a keyed limiter, the most keys it holds; at least 1. Default 10,000. Ignored by a plain
         *     limiter.
         * @return this builder
         */
        public Builder maxKeys(int maxKeys) {
            this.maxKeys = dev.resilience.keyed.KeyedPolicy.validateMaxKeys(maxKeys);
            return this;
        }

        /**
         * @param keyIdleExpiry for a keyed limiter, how long a key may stay unused before it is dropped; positive (at
         *     most about 292 years). Default 10 min. Ignored by a plain limiter.
         * @return this builder
         */
        public Builder keyIdleExpiry(Duration keyIdleExpiry) {
            this.keyIdleExpiry = dev.resilience.keyed.KeyedPolicy.validateKeyIdleExpiry(keyIdleExpiry);
            return this;
        }

        /**
         * @param mode what a limiter backed by a shared store does while the store fails (an error, or no answer within
         *     the command timeout); not null. Default {@link StoreFailureMode#LOCAL}. A limiter without a store ignores it.
         * @return this builder
         */
        public Builder onStoreFailure(StoreFailureMode mode) {
            this.onStoreFailure = Validate.nonNull("onStoreFailure", mode);
            return this;
        }

        /** @return the config */
        public RateLimiterConfig build() {
            return new RateLimiterConfig(this);
        }
    }
}

package dev.resilience.bulkhead;

import dev.resilience.core.internal.Validate;

import java.time.Duration;

/**
 * Settings of a {@link Bulkhead} (property prefix {@code resilience.bulkhead}). Immutable and thread-safe;
 * build one with {@link #builder()}, start from {@link #defaults()}, or change a copy with {@link #toBuilder()}.
 */
public final class BulkheadConfig {

    private static final BulkheadConfig DEFAULTS = new Builder().build();

    private final int maxConcurrentCalls;
    private final Duration maxWaitDuration;
    private final int maxKeys;
    private final Duration keyIdleExpiry;

    private BulkheadConfig(Builder builder) {
        this.maxConcurrentCalls = builder.maxConcurrentCalls;
        this.maxWaitDuration = builder.maxWaitDuration;
        this.maxKeys = builder.maxKeys;
        this.keyIdleExpiry = builder.keyIdleExpiry;
    }

    /** @return the default settings: 25 concurrent calls, no waiting */
    public static BulkheadConfig defaults() {
        return DEFAULTS;
    }

    /** @return a builder holding the default settings */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this config's settings */
    public Builder toBuilder() {
        return new Builder().maxConcurrentCalls(maxConcurrentCalls).maxWaitDuration(maxWaitDuration)
                .maxKeys(maxKeys).keyIdleExpiry(keyIdleExpiry);
    }

    /** @return how many calls may run at the same time (at least 1; default 25) */
    public int maxConcurrentCalls() {
        return maxConcurrentCalls;
    }

    /** @return how long a call waits for a permit when all are taken (zero or positive; default 0: reject at once) */
    public Duration maxWaitDuration() {
        return maxWaitDuration;
    }

    /**
     * @return for a keyed bulkhead ({@link dev.resilience.keyed.KeyedPolicy#bulkhead}), how many keys it holds at most
     *     (at least 1; default 10,000); a plain bulkhead ignores it
     */
    public int maxKeys() {
        return maxKeys;
    }

    /**
     * @return for a keyed bulkhead, how long a key may stay unused before it is dropped (positive; default 10 min); a
     *     plain bulkhead ignores it
     */
    public Duration keyIdleExpiry() {
        return keyIdleExpiry;
    }

    @Override
    public String toString() {
        return "BulkheadConfig[maxConcurrentCalls=" + maxConcurrentCalls + ", maxWaitDuration=" + maxWaitDuration
                + ", maxKeys=" + maxKeys + ", keyIdleExpiry=" + keyIdleExpiry + "]";
    }

    /** Builds a {@link BulkheadConfig}; each setter validates its value at once. Not thread-safe. */
    public static final class Builder {
        private int maxConcurrentCalls = 25;
        private Duration maxWaitDuration = Duration.ZERO;
        private int maxKeys = dev.resilience.keyed.KeyedPolicy.DEFAULT_MAX_KEYS;
        private Duration keyIdleExpiry = dev.resilience.keyed.KeyedPolicy.DEFAULT_KEY_IDLE_EXPIRY;

        private Builder() {
        }

        /**
         * @param maxConcurrentCalls how many calls may run at the same time; at least 1 (default 25). Unlike
         *     Resilience4j, 0 is refused: a bulkhead that admits nothing would reject every call.
         * @return this builder
         * @throws dev.resilience.core.InvalidConfigException if below 1
         */
        public Builder maxConcurrentCalls(int maxConcurrentCalls) {
            this.maxConcurrentCalls = Validate.atLeast("maxConcurrentCalls", maxConcurrentCalls, 1);
            return this;
        }

        /**
         * @param maxWaitDuration how long a call waits for a permit when all are taken; zero or positive
         *     (default 0: a call that finds no free permit is rejected at once)
         * @return this builder
         * @throws dev.resilience.core.InvalidConfigException if null or negative
         */
        public Builder maxWaitDuration(Duration maxWaitDuration) {
            this.maxWaitDuration = Validate.notNegative("maxWaitDuration", maxWaitDuration);
            return this;
        }

        /**
         * @param maxKeys for a keyed bulkhead, the most keys it holds; at least 1 (default 10,000). Ignored by a plain
         *     bulkhead.
         * @return this builder
         * @throws dev.resilience.core.InvalidConfigException if below 1
         */
        public Builder maxKeys(int maxKeys) {
            this.maxKeys = dev.resilience.keyed.KeyedPolicy.validateMaxKeys(maxKeys);
            return this;
        }

        /**
         * @param keyIdleExpiry for a keyed bulkhead, how long a key may stay unused before it is dropped; positive
         *     (default 10 min). Ignored by a plain bulkhead.
         * @return this builder
         * @throws dev.resilience.core.InvalidConfigException if null, zero, negative or too long for a {@code long} of
         *     nanoseconds
         */
        public Builder keyIdleExpiry(Duration keyIdleExpiry) {
            this.keyIdleExpiry = dev.resilience.keyed.KeyedPolicy.validateKeyIdleExpiry(keyIdleExpiry);
            return this;
        }

        /** @return the config */
        public BulkheadConfig build() {
            return new BulkheadConfig(this);
        }
    }
}

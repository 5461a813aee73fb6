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

    private BulkheadConfig(Builder builder) {
        this.maxConcurrentCalls = builder.maxConcurrentCalls;
        this.maxWaitDuration = builder.maxWaitDuration;
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
        return new Builder().maxConcurrentCalls(maxConcurrentCalls).maxWaitDuration(maxWaitDuration);
    }

    /** @return how many calls may run at the same time (at least 1; default 25) */
    public int maxConcurrentCalls() {
        return maxConcurrentCalls;
    }

    /** @return how long a call waits for a permit when all are taken (zero or positive; default 0: reject at once) */
    public Duration maxWaitDuration() {
        return maxWaitDuration;
    }

    @Override
    public String toString() {
        return "BulkheadConfig[maxConcurrentCalls=" + maxConcurrentCalls + ", maxWaitDuration=" + maxWaitDuration + "]";
    }

    /** Builds a {@link BulkheadConfig}; each setter validates its value at once. Not thread-safe. */
    public static final class Builder {
        private int maxConcurrentCalls = 25;
        private Duration maxWaitDuration = Duration.ZERO;

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

        /** @return the config */
        public BulkheadConfig build() {
            return new BulkheadConfig(this);
        }
    }
}

package dev.resilience.timeout;

import dev.resilience.core.internal.Validate;

import java.time.Duration;

/**
 * Settings of a {@link Timeout} (property prefix {@code resilience.timeout}). Immutable and thread-safe;
 * build one with {@link #builder()}, start from {@link #defaults()}, or change a copy with {@link #toBuilder()}.
 */
public final class TimeoutConfig {

    private static final TimeoutConfig DEFAULTS = new Builder().build();

    private final Duration timeoutDuration;
    private final boolean cancelRunningFuture;

    private TimeoutConfig(Builder builder) {
        this.timeoutDuration = builder.timeoutDuration;
        this.cancelRunningFuture = builder.cancelRunningFuture;
    }

    /** @return the default settings: 1 s, cancelling the running call */
    public static TimeoutConfig defaults() {
        return DEFAULTS;
    }

    /** @return a builder holding the default settings */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this config's settings */
    public Builder toBuilder() {
        return new Builder().timeoutDuration(timeoutDuration).cancelRunningFuture(cancelRunningFuture);
    }

    /** @return how long a call may take before the caller gets {@link TimeoutExceededException} (positive; default 1 s) */
    public Duration timeoutDuration() {
        return timeoutDuration;
    }

    /**
     * @return whether a call that timed out is cancelled (default true): a synchronous call's thread, the caller's
     *     own, is interrupted at the deadline; an asynchronous call's stage is completed with the
     *     {@link TimeoutExceededException} and cancelled with {@code cancel(true)}. When false, a synchronous call
     *     runs to its end and is then reported as timed out, and an asynchronous call's stage is left alone
     */
    public boolean cancelRunningFuture() {
        return cancelRunningFuture;
    }

    @Override
    public String toString() {
        return "TimeoutConfig[timeoutDuration=" + timeoutDuration + ", cancelRunningFuture=" + cancelRunningFuture + "]";
    }

    /** Builds a {@link TimeoutConfig}; each setter validates its value at once. Not thread-safe. */
    public static final class Builder {
        private Duration timeoutDuration = Duration.ofSeconds(1);
        private boolean cancelRunningFuture = true;

        private Builder() {
        }

        /**
         * @param timeoutDuration how long a call may take; positive (default 1 s)
         * @return this builder
         * @throws dev.resilience.core.InvalidConfigException if null, zero or negative
         */
        public Builder timeoutDuration(Duration timeoutDuration) {
            this.timeoutDuration = Validate.positive("timeoutDuration", timeoutDuration);
            return this;
        }

        /**
         * @param cancelRunningFuture whether to cancel a call that timed out: interrupt a synchronous call's thread,
         *     complete and cancel an asynchronous call's stage (default true)
         * @return this builder
         */
        public Builder cancelRunningFuture(boolean cancelRunningFuture) {
            this.cancelRunningFuture = cancelRunningFuture;
            return this;
        }

        /** @return the config */
        public TimeoutConfig build() {
            return new TimeoutConfig(this);
        }
    }
}

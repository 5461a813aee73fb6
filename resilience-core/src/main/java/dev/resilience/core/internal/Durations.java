package dev.resilience.core.internal;

import java.time.Duration;

/** Conversions of {@link Duration}s for arithmetic on monotonic nanoseconds. */
public final class Durations {

    private Durations() {
    }

    /**
     * @param duration any duration
     * @return its length in nanoseconds, or {@link Long#MAX_VALUE} / {@link Long#MIN_VALUE} when it is too long
     *     to be expressed in a {@code long} (about 292 years): "practically forever"
     */
    public static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}

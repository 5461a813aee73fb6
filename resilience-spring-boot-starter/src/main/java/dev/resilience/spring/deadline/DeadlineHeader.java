package dev.resilience.spring.deadline;

import java.util.Objects;

/**
 * The header that carries a deadline between services: the whole milliseconds the caller's deadline has left,
 * as a non-negative decimal number. Values above {@link #MAX_MILLIS} (one day) are not believed.
 *
 * @param name the header name, e.g. {@code Resilience-Deadline-Remaining-Ms}
 */
public record DeadlineHeader(String name) {

    /** The largest value accepted: one day in milliseconds. Anything larger is a bug or an attack, not a deadline. */
    public static final long MAX_MILLIS = 86_400_000L;

    /**
     * @param name the header name; not blank
     */
    public DeadlineHeader {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("The deadline header name must not be blank");
        }
    }

    /**
     * Reads a header value.
     *
     * @param value the header's value, possibly null
     * @return the milliseconds left, or -1 when the value is absent, malformed, negative or above {@link #MAX_MILLIS}
     */
    public static long parseMillis(String value) {
        if (value == null) {
            return -1;
        }
        String trimmed = value.trim();
        // At most 9 digits keeps the parse from overflowing; 86,400,000 has 8.
        if (trimmed.isEmpty() || trimmed.length() > 9) {
            return -1;
        }
        long millis = 0;
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            millis = millis * 10 + (c - '0');
        }
        return millis <= MAX_MILLIS ? millis : -1;
    }

    /**
     * @param remainingNanos the time a deadline has left, possibly negative
     * @return the header value: whole milliseconds left, rounded down, and {@code 0} once expired
     */
    public static String format(long remainingNanos) {
        return Long.toString(Math.max(0, remainingNanos / 1_000_000L));
    }
}

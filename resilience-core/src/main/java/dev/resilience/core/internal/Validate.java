package dev.resilience.core.internal;

import dev.resilience.core.InvalidConfigException;

import java.time.Duration;

/**
 * Range checks for config builders. Each throws {@link InvalidConfigException} naming the setting, the
 * bad value and the allowed range; none clamps.
 */
public final class Validate {

    private Validate() {
    }

    /**
     * @param setting setting name
     * @param value value
     * @param min smallest allowed
     * @param max largest allowed
     * @return the value
     */
    public static int between(String setting, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidConfigException(setting, value, max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max);
        }
        return value;
    }

    /**
     * @param setting setting name
     * @param value value
     * @param min smallest allowed
     * @return the value
     */
    public static int atLeast(String setting, int value, int min) {
        return between(setting, value, min, Integer.MAX_VALUE);
    }

    /**
     * @param setting setting name
     * @param value value
     * @param min smallest allowed (inclusive unless {@code minExclusive})
     * @param minExclusive whether {@code min} itself is excluded
     * @param max largest allowed, inclusive
     * @return the value
     */
    public static double between(String setting, double value, double min, boolean minExclusive, double max) {
        boolean tooSmall = minExclusive ? !(value > min) : !(value >= min);
        if (tooSmall || !(value <= max) || Double.isNaN(value)) {
            throw new InvalidConfigException(setting, value,
                    (minExclusive ? "greater than " + fmt(min) + " and at most " : "between " + fmt(min) + " and ") + fmt(max));
        }
        return value;
    }

    /**
     * @param setting setting name
     * @param value value
     * @return the value, if strictly positive (sub-millisecond values are allowed only when positive)
     */
    public static Duration positive(String setting, Duration value) {
        nonNull(setting, value);
        if (value.isNegative() || value.isZero()) {
            throw new InvalidConfigException(setting, value, "a positive duration");
        }
        return value;
    }

    /**
     * @param setting setting name
     * @param value value
     * @return the value, if zero or positive
     */
    public static Duration notNegative(String setting, Duration value) {
        nonNull(setting, value);
        if (value.isNegative()) {
            throw new InvalidConfigException(setting, value, "zero or a positive duration");
        }
        return value;
    }

    /**
     * @param setting setting name
     * @param value value
     * @param <T> type
     * @return the value, if not null
     */
    public static <T> T nonNull(String setting, T value) {
        if (value == null) {
            throw new InvalidConfigException(setting, null, "set (not null)");
        }
        return value;
    }

    /**
     * @param setting setting name
     * @param values array that must not be null nor contain null
     * @param <T> element type
     * @return a copy of the array
     */
    public static <T> T[] noNulls(String setting, T[] values) {
        nonNull(setting, values);
        for (T value : values) {
            if (value == null) {
                throw new InvalidConfigException(setting, java.util.Arrays.toString(values), "a list without null elements");
            }
        }
        return values.clone();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}

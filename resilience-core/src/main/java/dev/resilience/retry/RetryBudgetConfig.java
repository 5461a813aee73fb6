package dev.resilience.retry;

import dev.resilience.core.InvalidConfigException;

import java.time.Duration;

/**
 * The settings of a {@link RetryBudget}: how many retries it allows over a sliding window, as a share of the
 * first attempts seen in that window plus a floor. Over a window of {@code n = window} seconds, at most
 *
 * <pre>{@code
 * allowedRetries = floor(ratio * firstAttemptsInWindow + minRetriesPerSecond * n)
 * }</pre>
 *
 * retries are allowed; see {@link RetryBudget} for exactly what the window holds.
 *
 * @param ratio retries allowed per first attempt in the window; zero or positive (0.2 = retries may add at
 *     most 20 % load on top of first attempts; default 0.2)
 * @param window the sliding window, a whole number of seconds from 1 s to 1 h (default 10 s)
 * @param minRetriesPerSecond the floor, so that a service with little traffic still retries; zero or positive
 *     (default 10)
 * @param group the name of the budget shared by every retry that names it, or {@code null} (default) for a
 *     budget of the retry's own
 * @param shared whether the group is one budget for every instance of the service, counted by a
 *     {@link dev.resilience.spi.RetryBudgetStore} (default false: this instance's budget); needs a group
 */
public record RetryBudgetConfig(double ratio, Duration window, double minRetriesPerSecond, String group, boolean shared) {

    /** The longest window: one hour (3,600 one-second buckets). */
    public static final Duration MAX_WINDOW = Duration.ofHours(1);

    private static final RetryBudgetConfig DEFAULTS = new RetryBudgetConfig(0.2, Duration.ofSeconds(10), 10, null);

    /**
     * A budget of this instance alone (not {@link #shared()}).
     *
     * @param ratio retries allowed per first attempt in the window
     * @param window the sliding window
     * @param minRetriesPerSecond the floor
     * @param group the shared budget's name, or {@code null}
     */
    public RetryBudgetConfig(double ratio, Duration window, double minRetriesPerSecond, String group) {
        this(ratio, window, minRetriesPerSecond, group, false);
    }

    /**
     * Validates the settings.
     *
     * @throws InvalidConfigException naming the setting ({@code budgetRatio}, {@code budgetWindow},
     *     {@code budgetMinRetriesPerSecond}, {@code budgetGroup}) when a value is out of range
     */
    public RetryBudgetConfig {
        if (!(ratio >= 0) || Double.isInfinite(ratio)) {
            throw new InvalidConfigException("budgetRatio", ratio, "zero or positive and finite");
        }
        if (window == null || window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(MAX_WINDOW) > 0
                || window.getNano() != 0) {
            throw new InvalidConfigException("budgetWindow", window, "a whole number of seconds from 1s to 1h");
        }
        if (!(minRetriesPerSecond >= 0) || Double.isInfinite(minRetriesPerSecond)) {
            throw new InvalidConfigException("budgetMinRetriesPerSecond", minRetriesPerSecond, "zero or positive and finite");
        }
        if (group != null && group.isBlank()) {
            throw new InvalidConfigException("budgetGroup", '"' + group + '"', "a non-blank name, or unset");
        }
    }

    /** @return ratio 0.2, a window of 10 s, a floor of 10 retries per second, no group */
    public static RetryBudgetConfig defaults() {
        return DEFAULTS;
    }

    /**
     * @param ratio retries per first attempt
     * @return a copy with that ratio
     */
    public RetryBudgetConfig withRatio(double ratio) {
        return new RetryBudgetConfig(ratio, window, minRetriesPerSecond, group, shared);
    }

    /**
     * @param window the sliding window
     * @return a copy with that window
     */
    public RetryBudgetConfig withWindow(Duration window) {
        return new RetryBudgetConfig(ratio, window, minRetriesPerSecond, group, shared);
    }

    /**
     * @param minRetriesPerSecond the floor
     * @return a copy with that floor
     */
    public RetryBudgetConfig withMinRetriesPerSecond(double minRetriesPerSecond) {
        return new RetryBudgetConfig(ratio, window, minRetriesPerSecond, group, shared);
    }

    /**
     * @param group the shared budget's name, or {@code null} for a budget of the retry's own
     * @return a copy with that group
     */
    public RetryBudgetConfig withGroup(String group) {
        return new RetryBudgetConfig(ratio, window, minRetriesPerSecond, group, shared);
    }

    /**
     * @param shared whether the group is one budget for every instance, counted by a shared store (it then needs a
     *     group, checked when the budget is created)
     * @return a copy with that setting
     */
    public RetryBudgetConfig withShared(boolean shared) {
        return new RetryBudgetConfig(ratio, window, minRetriesPerSecond, group, shared);
    }

    /** @return the window in seconds, the number of one-second buckets */
    public int windowSeconds() {
        return (int) window.getSeconds();
    }
}

package dev.resilience.retry;

import dev.resilience.retry.internal.SharedRetryBudget;
import dev.resilience.spi.RetryBudgetStore;

import java.time.Duration;

import dev.resilience.core.Clock;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The retry budgets shared by group name ({@link RetryBudgetConfig#group()}): every retry whose config names the
 * same group draws on one budget, e.g. several methods that call one downstream. Bounded: at most
 * {@code maxGroups} groups.
 *
 * <p>Thread-safe.
 */
public final class RetryBudgets {

    /** The default bound on the number of groups. */
    public static final int DEFAULT_MAX_GROUPS = 1_000;

    /** The default interval at which a shared budget syncs with its store: 100 ms. */
    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMillis(100);

    private final Clock clock;
    private final int maxGroups;
    private final RetryBudgetStore store;
    private final Duration syncInterval;
    private final ConcurrentHashMap<String, RetryBudget> groups = new ConcurrentHashMap<>();

    /**
     * @param clock the time source of every budget made here
     */
    public RetryBudgets(Clock clock) {
        this(clock, DEFAULT_MAX_GROUPS);
    }

    /**
     * @param clock the time source of every budget made here
     * @param maxGroups the most groups this registry holds, at least 1
     */
    public RetryBudgets(Clock clock, int maxGroups) {
        this(clock, maxGroups, null, DEFAULT_SYNC_INTERVAL);
    }

    /**
     * @param clock the time source of every budget made here
     * @param maxGroups the most groups this registry holds, at least 1
     * @param store counts the groups whose config is {@link RetryBudgetConfig#shared() shared}, or null if there is
     *     none (then a shared config is refused)
     * @param syncInterval how often a shared budget in use syncs with the store; positive
     */
    public RetryBudgets(Clock clock, int maxGroups, RetryBudgetStore store, Duration syncInterval) {
        this.store = store;
        if (syncInterval == null || syncInterval.isNegative() || syncInterval.isZero()) {
            throw new IllegalArgumentException("syncInterval must be positive, but was " + syncInterval);
        }
        this.syncInterval = syncInterval;
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxGroups < 1) {
            throw new IllegalArgumentException("maxGroups must be >= 1, but was " + maxGroups);
        }
        this.maxGroups = maxGroups;
    }

    /**
     * Returns the budget for a config: the group's shared budget when the config names a group (created on first
     * use), otherwise a new budget of its own.
     *
     * @param config the budget settings
     * @return the budget
     * @throws IllegalArgumentException if the group exists with other settings (every member of a group must
     *     agree), or if creating it would exceed the bound
     */
    public RetryBudget budgetFor(RetryBudgetConfig config) {
        Objects.requireNonNull(config, "config");
        String group = config.group();
        if (config.shared() && group == null) {
            throw new IllegalArgumentException("A shared retry budget needs a group (it is the group's budget across the fleet): " + config);
        }
        if (config.shared() && store == null) {
            throw new IllegalArgumentException("Retry budget group '" + group + "' is shared, but no RetryBudgetStore was given");
        }
        if (group == null) {
            return RetryBudget.of(config, clock);
        }
        RetryBudget budget = groups.get(group);
        if (budget == null) {
            budget = groups.computeIfAbsent(group, g -> {
                if (groups.size() >= maxGroups) {
                    throw new IllegalArgumentException("The retry budget registry holds its maximum of " + maxGroups
                            + " groups; refusing to create group '" + g + "'");
                }
                return config.shared() ? new SharedRetryBudget(config, clock, store, syncInterval) : RetryBudget.of(config, clock);
            });
        }
        if (!budget.config().equals(config)) {
            throw new IllegalArgumentException("Retry budget group '" + group + "' is already defined with " + budget.config()
                    + "; a retry asks for it with " + config + ". Every retry of a group must use the same budget settings.");
        }
        return budget;
    }

    /**
     * @param group a group name
     * @return its budget, or {@code null} if no retry has used that group
     */
    public RetryBudget find(String group) {
        return groups.get(group);
    }

    /** @return the budgets by group name (a snapshot) */
    public Map<String, RetryBudget> groups() {
        return Map.copyOf(groups);
    }
}

package dev.resilience.spi;

import java.util.concurrent.CompletionStage;

/**
 * Keeps a retry budget group's counts where every instance of a service can see them (Redis, a database), so that the
 * group is one budget for the whole fleet. Instances never ask it on a call's path: each counts locally and
 * {@linkplain #sync syncs} in the background every few milliseconds, reporting what it counted and taking a lease, the
 * retries it may grant until its next sync.
 *
 * <p>An implementation must, atomically per sync: add the reported counts to the group's one-second buckets on one
 * clock (the store's), sum the buckets of the window, and grant a lease of at most
 * {@code floor(ratio * firstAttempts + minRetriesPerSecond * window) - retries - (other instances' live leases)},
 * replacing the instance's previous lease, which must stay counted for at least {@code leaseSeconds} unless replaced.
 * Then the fleet's retries never exceed the budget by more than the first attempts that leave the window while a
 * lease is held allow. Thread-safe.
 */
public interface RetryBudgetStore {

    /**
     * Reports counts and takes a new lease.
     *
     * @param group the budget group
     * @param instanceId identifies this instance's lease
     * @param ratio retries allowed per first attempt in the window
     * @param windowSeconds the window, in seconds
     * @param minRetriesPerSecond the floor
     * @param firstAttempts first attempts counted since the last successful sync
     * @param retries retries granted since the last successful sync
     * @param leaseSeconds how long the store must keep counting the lease if the instance does not sync again
     * @return the new lease and the fleet's totals; completes exceptionally when the store failed
     */
    CompletionStage<Lease> sync(String group, String instanceId, double ratio, int windowSeconds,
                                double minRetriesPerSecond, long firstAttempts, long retries, int leaseSeconds);

    /** @return a short name for log lines, e.g. {@code "redis"} */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * A store's answer to a sync.
     *
     * @param retries the retries the instance may grant until its next sync (its lease)
     * @param firstAttempts the fleet's first attempts in the window, this sync's included
     * @param fleetRetries the fleet's retries in the window, this sync's included
     * @param allowed the retries the budget allows the fleet in the window
     */
    record Lease(long retries, long firstAttempts, long fleetRetries, long allowed) {
    }
}

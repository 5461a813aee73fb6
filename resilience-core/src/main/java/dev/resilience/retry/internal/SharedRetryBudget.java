package dev.resilience.retry.internal;

import dev.resilience.core.Clock;
import dev.resilience.core.Scheduled;
import dev.resilience.retry.RetryBudget;
import dev.resilience.retry.RetryBudgetConfig;
import dev.resilience.spi.RetryBudgetStore;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A retry budget group that is one budget for every instance of a service, counted by a {@link RetryBudgetStore}.
 *
 * <p><b>Nothing waits on the store.</b> {@link #recordFirstAttempt()} and {@link #tryAcquireRetry()} only touch local
 * atomics. In the background, every sync interval (on the clock's timer) the budget reports what it counted since its
 * last sync and takes a <em>lease</em>: the retries it may grant until the next one. The store grants leases
 * atomically against the fleet's budget, less the retries already counted and the other instances' live leases, so
 * the fleet's retries never exceed {@code floor(ratio x first attempts + floor x window)} as of the latest sync. The
 * only excess: first attempts that leave the window while a lease is held (at most one lease lifetime, 1 s) no longer
 * back the retries granted against them, at most {@code ratio} retries per such first attempt.
 *
 * <p><b>Before the first lease</b> (a fresh instance, or one idle for a window, whose syncs stopped) retries are
 * refused while the sync is under way: the budget errs on the side of fewer retries.
 *
 * <p><b>Store failure.</b> A sync that fails, or takes longer than {@link #LEASE_NANOS}, keeps the counts for the next
 * one. Once the lease has expired, this instance draws on its own local budget of the same settings (which counts
 * every first attempt, always) until a sync succeeds again: the fleet then allows at most (number of instances) x
 * the budget, as with separate budgets. The retries granted meanwhile are reported once the store answers.
 *
 * <p>Thread-safe.
 */
public final class SharedRetryBudget implements RetryBudget {

    /** How long a lease may be used after its sync began: 1 s; the store keeps counting it for 2 s at least. */
    static final long LEASE_NANOS = 1_000_000_000L;

    /** How long the store keeps a lease counted when its instance does not sync again, in whole seconds. */
    static final int LEASE_SECONDS = 2;

    private static final System.Logger LOG = System.getLogger(SharedRetryBudget.class.getName());

    private final RetryBudgetConfig config;
    private final Clock clock;
    private final RetryBudgetStore store;
    private final long syncIntervalNanos;
    private final String instanceId = UUID.randomUUID().toString();
    /** This instance's own budget, used while the store fails; it counts every first attempt. */
    private final BucketedRetryBudget local;

    /** First attempts counted since creation. */
    private final AtomicLong firstAttempts = new AtomicLong();
    /** Retries granted since creation (from leases and, while the store fails, from the local budget). */
    private final AtomicLong granted = new AtomicLong();
    /** The count of {@link #granted} up to which the current lease allows retries. */
    private volatile long cap;
    private volatile long leaseExpiresNanos;
    /** Whether the last sync failed: then an expired lease means the local budget, not a refusal. */
    private volatile boolean storeFailing;
    private volatile RetryBudgetStore.Lease lastLease;
    /** Counts the store has been told, advanced by the one sync in flight only. */
    private long reportedFirstAttempts;
    private long reportedRetries;
    private final AtomicBoolean syncing = new AtomicBoolean();
    /** When the last first attempt or retry was counted: syncs stop after a whole window without either. */
    private volatile long lastActivityNanos;
    private final LongAdder errors = new LongAdder();
    private final AtomicLong nextLogNanos = new AtomicLong(Long.MIN_VALUE);

    /**
     * @param config the budget's settings; {@link RetryBudgetConfig#group()} names it in the store
     * @param clock time source for the sync interval, leases and the local budget
     * @param store the shared store
     * @param syncInterval how often to sync while the budget is in use; positive
     */
    public SharedRetryBudget(RetryBudgetConfig config, Clock clock, RetryBudgetStore store, Duration syncInterval) {
        this.config = Objects.requireNonNull(config, "config");
        if (config.group() == null) {
            throw new IllegalArgumentException("A shared retry budget needs a group: " + config);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = Objects.requireNonNull(store, "store");
        if (syncInterval == null || syncInterval.isNegative() || syncInterval.isZero()) {
            throw new IllegalArgumentException("syncInterval must be positive, but was " + syncInterval);
        }
        this.syncIntervalNanos = syncInterval.toNanos();
        this.local = new BucketedRetryBudget(config, clock);
        this.leaseExpiresNanos = clock.nanoTime(); // no lease yet
    }

    @Override
    public RetryBudgetConfig config() {
        return config;
    }

    @Override
    public void recordFirstAttempt() {
        firstAttempts.incrementAndGet();
        local.recordFirstAttempt();
        active();
    }

    @Override
    public boolean tryAcquireRetry() {
        active();
        if (clock.nanoTime() - leaseExpiresNanos < 0) {
            while (true) {
                long g = granted.get();
                if (g >= cap) {
                    return false; // the fleet's budget, as leased to this instance, is spent
                }
                if (granted.compareAndSet(g, g + 1)) {
                    return true;
                }
            }
        }
        if (!storeFailing) {
            return false; // the first lease (or the one after an idle spell) is on its way
        }
        if (local.tryAcquireRetry()) {
            granted.incrementAndGet(); // reported when the store answers again
            return true;
        }
        return false;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Of this instance's current lease; while the store fails, of its local budget.
     */
    @Override
    public long remaining() {
        if (clock.nanoTime() - leaseExpiresNanos < 0) {
            return Math.max(0, cap - granted.get());
        }
        return storeFailing ? local.remaining() : 0;
    }

    /** @return the fleet's counts at the last successful sync, or null before the first */
    public RetryBudgetStore.Lease lastLease() {
        return lastLease;
    }

    /** @return failed syncs since creation */
    public long storeErrors() {
        return errors.sum();
    }

    private void active() {
        lastActivityNanos = clock.nanoTime();
        if (!syncing.get() && syncing.compareAndSet(false, true)) {
            sync();
        }
    }

    /** One sync; the next is scheduled when it ends, so that at most one is in flight. */
    private void sync() {
        long firsts = firstAttempts.get();
        long grants = granted.get();
        long startedNanos = clock.nanoTime();
        CompletableFuture<RetryBudgetStore.Lease> answer = new CompletableFuture<>();
        try {
            CompletionStage<RetryBudgetStore.Lease> stage = store.sync(config.group(), instanceId, config.ratio(),
                    config.windowSeconds(), config.minRetriesPerSecond(), firsts - reportedFirstAttempts,
                    grants - reportedRetries, LEASE_SECONDS);
            Scheduled timeout = clock.schedule(() -> answer.completeExceptionally(new TimeoutException(
                    store.name() + " did not answer a retry budget sync within " + Duration.ofNanos(LEASE_NANOS))),
                    LEASE_NANOS);
            stage.whenComplete((lease, failure) -> {
                timeout.cancel();
                if (failure != null) {
                    answer.completeExceptionally(failure);
                } else {
                    answer.complete(lease);
                }
            });
        } catch (Throwable t) {
            answer.completeExceptionally(t);
        }
        answer.whenComplete((lease, failure) -> {
            if (failure == null && lease != null) {
                reportedFirstAttempts = firsts;
                reportedRetries = grants;
                // Retries granted since the snapshot are reported next time; the new lease counts from the snapshot.
                cap = grants + Math.max(0, lease.retries());
                leaseExpiresNanos = startedNanos + LEASE_NANOS;
                lastLease = lease;
                storeFailing = false;
            } else {
                onFailure(failure);
            }
            scheduleNext();
        });
    }

    private void scheduleNext() {
        long idleNanos = clock.nanoTime() - lastActivityNanos;
        if (idleNanos >= config.window().toNanos() && !storeFailing) {
            syncing.set(false); // idle for a window: nothing to report; the next count starts syncing again
            if (clock.nanoTime() - lastActivityNanos < config.window().toNanos()) {
                active(); // counted while stopping
            }
            return;
        }
        // A failing store is asked again once a second, not at the sync cadence.
        clock.schedule(this::sync, storeFailing ? Math.max(syncIntervalNanos, LEASE_NANOS) : syncIntervalNanos);
    }

    private void onFailure(Throwable failure) {
        errors.increment();
        storeFailing = true;
        long now = clock.nanoTime();
        long next = nextLogNanos.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextLogNanos.compareAndSet(next, now + 30_000_000_000L)) {
            LOG.log(System.Logger.Level.WARNING, () -> "Retry budget group '" + config.group() + "': its store ("
                    + store.name() + ") failed: " + failure + "; this instance uses a budget of its own until the "
                    + "store answers again (" + errors.sum() + " failures so far; at most one such line per 30 s)");
        }
    }

    /**
     * Forgets what this instance counted (its local first attempts, the retries it was granted, its lease and its
     * local fallback budget). The fleet's totals in the store are not touched: they age out of the store's window.
     */
    @Override
    public void reset() {
        local.reset();
        firstAttempts.set(0);
        granted.set(0);
        cap = 0;
        leaseExpiresNanos = 0;
    }

    @Override
    public String toString() {
        return "SharedRetryBudget[" + config + ", store=" + store.name() + ", remaining=" + remaining() + "]";
    }
}

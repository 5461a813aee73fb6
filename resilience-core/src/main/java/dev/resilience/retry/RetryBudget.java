package dev.resilience.retry;

import dev.resilience.core.Clock;
import dev.resilience.retry.internal.BucketedRetryBudget;

import java.time.Duration;

/**
 * Caps the extra load that retries add, so that retries at several layers cannot multiply a downstream's load
 * into a retry storm (Finagle's {@code RetryBudget}, gRPC's retry throttling).
 *
 * <p><b>Accounting.</b> Time is cut into one-second buckets of the clock's monotonic time (bucket
 * {@code floor(nanoTime / 1e9)}). The window at any moment is the current bucket and the {@code n - 1} before it,
 * {@code n} being {@link RetryBudgetConfig#window()} in seconds. {@link #recordFirstAttempt()} counts a first
 * attempt in the current bucket; {@link #tryAcquireRetry()} allows a retry, and counts it in the current bucket,
 * only while
 *
 * <pre>{@code
 * retriesInWindow < floor(ratio * firstAttemptsInWindow + minRetriesPerSecond * n)
 * }</pre>
 *
 * First attempts are never refused or charged; a refused retry is not counted. So over any window the retries
 * allowed never exceed that bound, also when retries race the start of a new second (every grant is checked
 * against every grant before it). Under contention a check may see another thread's retry that is about to be
 * taken back, and refuse a retry the bound would have allowed: the budget errs on the side of fewer retries.
 *
 * <p><b>Cost.</b> Lock-free: {@link #recordFirstAttempt()} is one compare-and-set on the current bucket;
 * {@link #tryAcquireRetry()} reads the {@code n} buckets of the window, sets one and moves one shared grant counter
 * on (retries are serialised by that counter; they are the failure path, far rarer than first attempts). Memory is two arrays of
 * {@code n} longs, whatever the traffic.
 *
 * <p>Thread-safe. One budget may serve several retries (a {@link RetryBudgetConfig#group()}).
 */
public interface RetryBudget {

    /**
     * @param ratio retries allowed per first attempt in the window
     * @param window the sliding window, whole seconds from 1 s to 1 h
     * @param minRetriesPerSecond the floor, in retries per second of the window
     * @param clock the time source
     * @return a budget
     * @throws dev.resilience.core.InvalidConfigException if a value is out of range
     */
    static RetryBudget of(double ratio, Duration window, double minRetriesPerSecond, Clock clock) {
        return of(new RetryBudgetConfig(ratio, window, minRetriesPerSecond, null), clock);
    }

    /**
     * @param config the settings
     * @param clock the time source
     * @return a budget
     */
    static RetryBudget of(RetryBudgetConfig config, Clock clock) {
        return new BucketedRetryBudget(config, clock);
    }

    /** Counts a first attempt: never refused, and it raises the retries allowed by {@code ratio}. */
    void recordFirstAttempt();

    /**
     * Asks for one retry.
     *
     * @return true if the retry is allowed (and is now counted), false if the budget is spent
     */
    boolean tryAcquireRetry();

    /** @return how many retries the budget would allow right now, zero when spent */
    long remaining();

    /** @return the settings */
    RetryBudgetConfig config();

    /**
     * Forgets every first attempt and retry counted so far, as if the budget had just been made: for tests (a test kit
     * clears every budget between tests). A shared budget is cleared for every retry of its group.
     */
    void reset();
}

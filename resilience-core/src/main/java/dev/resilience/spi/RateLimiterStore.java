package dev.resilience.spi;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Counts a rate limiter's admissions somewhere every instance of a service can see (Redis, a database, a token
 * server), so that all of them together admit at most {@code limitForPeriod} calls per period. A
 * {@link dev.resilience.ratelimiter.RateLimiter} built with a store asks it once per call (see
 * {@link dev.resilience.ratelimiter.RateLimiter#of(String, dev.resilience.ratelimiter.RateLimiterConfig,
 * dev.resilience.core.Clock, RateLimiterStore, java.time.Duration)}); the limiter, not the store, enforces the
 * answer's wait, the command timeout and the failure mode.
 *
 * <p>An implementation must:
 * <ul>
 *   <li>decide atomically: two callers anywhere never both get the last permit of a period;</li>
 *   <li>consume nothing when it refuses, and never grant a permit whose wait would exceed {@code maxWaitNanos};</li>
 *   <li>never block the calling thread: return a stage at once and complete it when the store answers (a stage
 *       that never completes is cut short by the limiter's command timeout and counted as a failure);</li>
 *   <li>report a store that cannot be reached or answers garbage by completing the stage exceptionally (or throwing):
 *       the limiter then applies its {@link dev.resilience.ratelimiter.StoreFailureMode}.</li>
 * </ul>
 * Implementations are shared by many limiters and must be thread-safe.
 */
public interface RateLimiterStore {

    /**
     * Asks for one permit.
     *
     * @param key what is limited: the limiter's name, or its name and a key (e.g. a tenant) for limits per key;
     *     every instance that passes the same key (and the same limit and period) shares one limit
     * @param limitForPeriod permits per period, at least 1
     * @param periodNanos the length of a period in nanoseconds, positive
     * @param maxWaitNanos the longest the caller accepts to wait for a permit of a later period; zero: only a permit of
     *     the current period will do
     * @return the answer; completes exceptionally when the store failed
     */
    CompletionStage<Admission> acquire(String key, int limitForPeriod, long periodNanos, long maxWaitNanos);

    /**
     * Empties the current period of {@code key} for every instance: its free permits are gone, so that every
     * instance's next request is refused (or, within its longest wait, reserves a permit of a later period) until the
     * next period begins. Backs {@link dev.resilience.ratelimiter.RateLimiter#drainPermissions()}. Like
     * {@link #acquire}, it decides atomically, never blocks the calling thread, and reports a failure by completing the
     * stage exceptionally. Later periods, and permits already reserved in them, are unaffected; a period with no free
     * permit is left as it is. The drained permits are not admissions.
     *
     * @param key what is limited, as for {@link #acquire}
     * @param limitForPeriod permits per period, at least 1
     * @param periodNanos the length of a period in nanoseconds, positive
     * @return completes when the store has drained the period; exceptionally when the store failed
     * @throws UnsupportedOperationException if this store cannot drain a period (the default)
     */
    default CompletionStage<Void> drain(String key, int limitForPeriod, long periodNanos) {
        throw new UnsupportedOperationException(name() + " cannot drain a rate limiter's period");
    }

    /**
     * @return how long a limiter built with this store (and no command timeout of its own) waits for an answer before
     *     its failure mode applies: positive; default 100 ms
     */
    default Duration commandTimeout() {
        return Duration.ofMillis(100);
    }

    /** @return a short name for status pages and log lines, e.g. {@code "redis"} */
    default String name() {
        return getClass().getSimpleName();
    }
}

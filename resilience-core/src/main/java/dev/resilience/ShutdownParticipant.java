package dev.resilience;

import java.time.Duration;

/**
 * A policy with work of its own that a {@link GracefulShutdown} must stop: waits that would start further attempts
 * (a retry's backoffs), or threads that run accepted calls (a thread-pool bulkhead's pool). {@link GracefulShutdown}
 * reaches the policies through this interface only, so the root package does not depend on the policy packages that
 * build on it. Every method does nothing by default.
 *
 * <p>Implemented by {@link dev.resilience.retry.Retry} and {@link dev.resilience.bulkhead.ThreadPoolBulkhead}; an
 * application seldom calls it directly. Implementations are thread-safe.
 */
public interface ShutdownParticipant extends Policy {

    /**
     * Step one of a shutdown, before new calls are refused: cuts short every wait that would start further work, and
     * starts none from now on (a retry stops retrying). Idempotent, irreversible.
     */
    default void stopWaiting() {
    }

    /**
     * After the calls in flight have drained: stops accepting work, still finishing what was accepted. Returns at
     * once; idempotent.
     */
    default void shutdown() {
    }

    /**
     * Waits until, after {@link #shutdown()}, every accepted piece of work has finished.
     *
     * @param timeout how long to wait at most
     * @return whether everything finished in time
     * @throws InterruptedException if interrupted while waiting
     */
    default boolean awaitTermination(Duration timeout) throws InterruptedException {
        return true;
    }

    /**
     * Stops at once: work running is interrupted, and work accepted but not started ends exceptionally with
     * {@link ShutdownInProgressException} without running. Returns at once; idempotent.
     */
    default void shutdownNow() {
    }
}

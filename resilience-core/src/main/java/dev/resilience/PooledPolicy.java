package dev.resilience;

import java.time.Duration;

/**
 * A policy that runs the calls it accepts on threads of its own, as a thread-pool bulkhead does: the last step of a
 * {@link GracefulShutdown} stops it, lets it finish what it accepted within the time left, and then stops it at once,
 * so that no accepted call's future is left pending. {@link GracefulShutdown} reaches such policies through this
 * interface, so the root package does not depend on the policy packages that build on it.
 *
 * <p>Implemented by {@link dev.resilience.bulkhead.ThreadPoolBulkhead}. Thread-safe.
 */
public interface PooledPolicy extends Policy {

    /**
     * Stops accepting calls (new ones fail with {@link ShutdownInProgressException}); calls running or queued still
     * run and complete their futures. Returns at once; idempotent.
     */
    void shutdown();

    /**
     * Stops accepting calls, interrupts running calls and completes every queued call's future exceptionally with
     * {@link ShutdownInProgressException} without running it. Returns at once; idempotent.
     */
    void shutdownNow();

    /**
     * Waits until, after a shutdown, every accepted call has finished and the policy's threads have ended.
     *
     * @param timeout how long to wait at most
     * @return whether everything finished in time
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitTermination(Duration timeout) throws InterruptedException;
}

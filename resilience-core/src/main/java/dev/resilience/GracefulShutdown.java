package dev.resilience;

import dev.resilience.core.Clock;
import dev.resilience.core.internal.Durations;
import dev.resilience.core.ShutdownGate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Stops a set of policies without losing work, for use with or without Spring:
 *
 * <ol>
 *   <li>{@link #stopBackoffs}: retries waiting for a backoff end at once with their last failure, and no
 *       retry starts a further attempt;</li>
 *   <li>the gate is closed: new calls are refused with {@link ShutdownInProgressException};</li>
 *   <li>calls in flight are awaited up to the timeout;</li>
 *   <li>thread-pool bulkheads stop taking work, finish what runs and what is queued within the time left,
 *       then complete anything still queued exceptionally: no future is left pending.</li>
 * </ol>
 *
 * <p>The Spring Boot starter runs these steps when the application context closes. The policies take part through
 * {@link WaitingPolicy} (retries, in step 1) and {@link PooledPolicy} (thread-pool bulkheads, in step 4); any other policy is left alone.
 */
public final class GracefulShutdown {

    private GracefulShutdown() {
    }

    /**
     * Cuts every retry's waiting backoffs short and stops further attempts.
     *
     * @param policies the policies; those with no waits to cut short (all but retries) are left alone
     */
    public static void stopBackoffs(Iterable<? extends Policy> policies) {
        for (Policy policy : policies) {
            if (policy instanceof WaitingPolicy waiting) {
                waiting.stopWaiting();
            }
        }
    }

    /**
     * Runs all four steps.
     *
     * @param gate the gate every protected call passes through
     * @param policies every policy instance
     * @param timeout the longest time to wait for calls in flight (and then for thread pools); any length, one
     *     longer than about 292 years waiting until everything has finished
     * @param clock the time source
     * @return what happened
     * @throws InterruptedException if interrupted while waiting (thread pools are then stopped at once)
     */
    public static Report shutdown(ShutdownGate gate, Iterable<? extends Policy> policies, Duration timeout, Clock clock)
            throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long timeoutNanos = Durations.saturatedNanos(timeout); // read before the gate closes: nothing can throw later
        long start = clock.nanoTime();
        stopBackoffs(policies);
        gate.close();
        List<PooledPolicy> pools = new ArrayList<>();
        for (Policy policy : policies) {
            if (policy instanceof PooledPolicy pool) {
                pools.add(pool);
            }
        }
        ShutdownGate.DrainResult drain;
        try {
            drain = gate.awaitDrained(timeout, clock);
            for (PooledPolicy pool : pools) {
                pool.shutdown();
            }
            for (PooledPolicy pool : pools) {
                long left = timeoutNanos - (clock.nanoTime() - start);
                if (left <= 0 || !pool.awaitTermination(Duration.ofNanos(left))) {
                    pool.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            pools.forEach(PooledPolicy::shutdownNow);
            throw e;
        }
        return new Report(drain.inFlightAtStart(), drain.finished(), drain.abandoned(),
                Duration.ofNanos(clock.nanoTime() - start));
    }

    /**
     * What a shutdown did.
     *
     * @param inFlight calls in flight when draining began
     * @param finished calls that finished while draining
     * @param abandoned calls still running when the timeout passed
     * @param took how long the whole shutdown took
     */
    public record Report(long inFlight, long finished, long abandoned, Duration took) {

        /** @return the one log line that summarises the shutdown */
        public String summary() {
            return "Resilience shutdown: " + inFlight + " call(s) in flight, " + finished + " finished, "
                    + abandoned + " abandoned at the deadline, took " + took.toMillis() + " ms";
        }
    }
}

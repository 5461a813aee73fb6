package dev.resilience.bulkhead;

import dev.resilience.Policy;
import dev.resilience.bulkhead.internal.SemaphoreBulkhead;
import dev.resilience.core.Clock;
import dev.resilience.core.Events;
import dev.resilience.spi.ContextCarrier;

/**
 * A semaphore bulkhead: limits how many calls run at the same time, on the callers' own threads.
 *
 * <p>A call takes a permit before it runs and returns it when it ends, whatever the ending (a value,
 * {@code null}, a checked or unchecked exception, an {@link Error}). When no permit is free, the call waits
 * up to {@link BulkheadConfig#maxWaitDuration()} (timed by the bulkhead's {@link Clock}); if none frees up
 * in time, it is rejected with {@link BulkheadFullException} without running.
 *
 * <p><b>Fairness:</b> waiting calls get freed permits in arrival order, but the bulkhead is not strictly
 * fair: a call arriving at the moment a permit is freed may take it before a waiting call does (barging),
 * which keeps the uncontended path to one compare-and-set.
 *
 * <p><b>Interrupts:</b> a synchronous caller interrupted while waiting stops waiting, its call does not
 * run, its interrupt flag is restored and it gets a {@link BulkheadFullException} saying it was interrupted.
 *
 * <p><b>Asynchronous calls</b> ({@link #callAsync}) never block: a waiting caller is queued and its call
 * starts on the thread that frees a permit; the permit is returned exactly once when the call's own stage
 * completes, or at once if the supplier throws or returns null. Cancelling the returned stage cancels a queued
 * call (its permit is never taken) or the running call's stage (its permit comes back once that has completed).
 *
 * <p>Thread-safe.
 */
public interface Bulkhead extends Policy {

    /** The kind string: {@value}. */
    String KIND = "bulkhead";

    /**
     * @param name instance name
     * @param config settings
     * @return a bulkhead on the system clock
     */
    static Bulkhead of(String name, BulkheadConfig config) {
        return of(name, config, Clock.system());
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock times waits and stamps events
     * @return a bulkhead
     */
    static Bulkhead of(String name, BulkheadConfig config, Clock clock) {
        return new SemaphoreBulkhead(name, config, clock);
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock times waits and stamps events
     * @param carrier carries the context of an asynchronous caller that had to queue to the thread whose release
     *     grants it a permit, where its call then runs (its deadline is carried in any case)
     * @return a bulkhead
     */
    static Bulkhead of(String name, BulkheadConfig config, Clock clock, ContextCarrier carrier) {
        return new SemaphoreBulkhead(name, config, clock, carrier);
    }

    /**
     * @param name instance name
     * @return a bulkhead with {@link BulkheadConfig#defaults()} on the system clock
     */
    static Bulkhead ofDefaults(String name) {
        return of(name, BulkheadConfig.defaults());
    }

    /** @return the settings */
    BulkheadConfig config();

    /** @return a snapshot of permits and counters */
    BulkheadMetrics metrics();

    /** @return where to subscribe to this bulkhead's events */
    @Override
    Events<BulkheadEvent> events();

    /** @return {@value #KIND} */
    @Override
    default String kind() {
        return KIND;
    }
}

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
 * <p>Where a call cannot be wrapped in a lambda (a gateway filter, a message listener that acknowledges later),
 * {@link #tryAcquire()} takes a permit and returns a {@link Permit} to release when the call ends.
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

    /** @return the settings now in force (reflecting {@link #reconfigure}) */
    BulkheadConfig config();

    /**
     * Replaces the settings of this running bulkhead, keeping its permits: the calls holding a permit keep it and
     * return it as usual, and no permit is created or lost. The new {@link BulkheadConfig#maxConcurrentCalls()} applies
     * to the next acquisition: a raise hands the new permits to queued waiters at once; a cut below the number of calls
     * in flight lets those calls finish and admits no new call until fewer than the new maximum are in flight. The new
     * {@link BulkheadConfig#maxWaitDuration()} applies to callers that start waiting from now on (those already
     * waiting keep their deadline). Publishes CONFIG_CHANGED. The config was validated when it was built, so this
     * cannot fail half-way.
     *
     * @param config the new settings
     * @throws NullPointerException if {@code config} is null
     * @throws UnsupportedOperationException if this implementation cannot change its settings at run time (the
     *     built-in one can)
     */
    default void reconfigure(BulkheadConfig config) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot change its settings at run time");
    }

    /** @return a snapshot of permits and counters */
    BulkheadMetrics metrics();

    /** @return where to subscribe to this bulkhead's events */
    @Override
    Events<BulkheadEvent> events();

    /**
     * Takes a permit for one call that the caller runs itself, for integrations that cannot wrap the call in
     * {@link #call(dev.resilience.core.ThrowingSupplier) call}: the returned permit must be released exactly once,
     * with {@link Permit#release()}, whatever the call's ending, and is then counted and published as that of a
     * wrapped call (CALL_PERMITTED now, CALL_FINISHED at the release, permitted-calls metric).
     *
     * <pre>{@code
     * Bulkhead.Permit permit = bulkhead.tryAcquire();
     * if (permit == null) {
     *     return serviceUnavailable();              // full, counted as rejected
     * }
     * try {
     *     return forward(request);
     * } finally {
     *     permit.release();
     * }
     * }</pre>
     *
     * <p>Never waits, whatever {@link BulkheadConfig#maxWaitDuration()}: a permit free at this moment is taken, else
     * the call is refused at once. (Like a wrapped call's first attempt, it may take a permit just freed before a
     * queued waiter does.)
     *
     * <p><b>A permit that is never released holds its place for ever:</b> nothing times it out, so the bulkhead has
     * one concurrent call fewer for the rest of its life, and once every permit is lost that way it refuses every
     * call. Release every permit, in a {@code finally} if need be, also when the call is cancelled or never sent.
     *
     * @return a permit to release, or {@code null} if every permit is taken; a refusal is counted in
     *     {@link BulkheadMetrics#rejectedCalls()} and published as CALL_REJECTED, as a wrapped call's is (but no
     *     exception is created). Allocates the permit (a wrapped call allocates nothing).
     */
    Permit tryAcquire();

    /** @return {@value #KIND} */
    @Override
    default String kind() {
        return KIND;
    }

    /**
     * A permit taken by {@link #tryAcquire()}, to be released exactly once. The first {@link #release()} gives the
     * permit back (to a queued waiter first) and returns {@code true}; any later one does nothing and returns
     * {@code false}, whichever thread calls it (concurrent releases: exactly one wins). Thread-safe.
     *
     * <p>Unreleased, it holds its permit for ever: see {@link Bulkhead#tryAcquire()}.
     */
    interface Permit {

        /**
         * Gives the permit back and publishes CALL_FINISHED (if someone listened when it was taken).
         *
         * @return whether this released the permit; {@code false}: it was released before, nothing given back
         */
        boolean release();
    }
}

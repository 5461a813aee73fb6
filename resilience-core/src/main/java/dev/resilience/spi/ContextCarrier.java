package dev.resilience.spi;

import java.util.Objects;

/**
 * Carries a caller's thread-bound context (a logging MDC, a security context, a tracing span, ...) to the thread
 * on which a policy continues the caller's call: a semaphore-bulkhead waiter granted a permit by another caller's
 * release, a rate-limited call started by the timer once its permit is due, an asynchronous retry attempt after a
 * backoff, the completion of a timed-out asynchronous call, a thread-pool bulkhead's pool thread.
 *
 * <p>The policy {@linkplain #capture() captures} a snapshot on the caller's thread, where it hands the call over, and
 * {@linkplain Snapshot#restore() restores} it around the continuation on the other thread; closing the returned
 * {@link Scope} puts back whatever that thread had before. The caller's {@link dev.resilience.deadline.Deadline} is
 * always carried this way by the policies themselves; a carrier adds what the application keeps in thread-locals of
 * its own. Without one ({@link #none()}, the default of every policy) only the deadline travels.
 *
 * <p>A carrier is given to each policy where it is built (e.g.
 * {@code Bulkhead.of(name, config, clock, carrier)}), as the clock is; the Spring Boot starter passes one built on
 * Micrometer's context-propagation library when that library is present.
 *
 * <p>Implementations must be thread-safe; {@link #capture()} runs on the call path of every call that is handed to
 * another thread, so it should be cheap. A snapshot may be restored more than once, and on any thread.
 */
@FunctionalInterface
public interface ContextCarrier {

    /**
     * Captures the current thread's context.
     *
     * @return a snapshot to restore on another thread; never null
     */
    Snapshot capture();

    /** A captured context. */
    @FunctionalInterface
    interface Snapshot {

        /**
         * Makes the captured context the current thread's.
         *
         * @return closes the scope, restoring what the thread had before; must be closed on the same thread
         */
        Scope restore();
    }

    /** An open {@link Snapshot#restore() restore}: closing it puts back the thread's previous context. */
    @FunctionalInterface
    interface Scope extends AutoCloseable {

        /** Puts back the context the thread had before the snapshot was restored. Never throws a checked exception. */
        @Override
        void close();
    }

    /**
     * @return the carrier that carries nothing (the policies still carry the caller's deadline)
     */
    static ContextCarrier none() {
        return NoContext.CARRIER;
    }

    /**
     * @param first captured and restored first
     * @param second captured and restored second (its scope closed first)
     * @return a carrier carrying what both carry
     */
    static ContextCarrier both(ContextCarrier first, ContextCarrier second) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        if (first == NoContext.CARRIER) {
            return second;
        }
        if (second == NoContext.CARRIER) {
            return first;
        }
        return () -> {
            Snapshot a = first.capture();
            Snapshot b = second.capture();
            return () -> {
                Scope outer = a.restore();
                Scope inner;
                try {
                    inner = b.restore();
                } catch (RuntimeException | Error e) {
                    outer.close();
                    throw e;
                }
                return () -> {
                    try {
                        inner.close();
                    } finally {
                        outer.close();
                    }
                };
            };
        };
    }
}

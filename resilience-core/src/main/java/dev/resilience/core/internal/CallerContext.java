package dev.resilience.core.internal;

import dev.resilience.deadline.Deadline;
import dev.resilience.spi.ContextCarrier;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a call's continuation must run with when a policy moves it to another thread: the caller's
 * {@link Deadline} and whatever the policy's {@link ContextCarrier} captures. The one helper behind every thread hop
 * of the core (a granted bulkhead waiter, a rate-limited call started by the timer, a retry attempt after a backoff,
 * the completion of a timed-out call, a thread-pool bulkhead task), so that a continuation never runs with the
 * deadline or context of the thread that happens to run it: {@link #run} replaces both for the continuation and
 * puts back the running thread's own afterwards, even when the continuation throws.
 *
 * <p>{@link #capture} on the caller's thread, {@link #run}/{@link #wrap} on the other. Capturing with no deadline
 * and {@link ContextCarrier#none()} allocates nothing. Immutable and thread-safe; not an API.
 */
public final class CallerContext {

    private static final CallerContext EMPTY = new CallerContext(null, null);

    private final Deadline deadline;
    /** Null when the carrier carries nothing. */
    private final ContextCarrier.Snapshot snapshot;

    private CallerContext(Deadline deadline, ContextCarrier.Snapshot snapshot) {
        this.deadline = deadline;
        this.snapshot = snapshot;
    }

    /**
     * Captures the current thread's deadline and the carrier's context.
     *
     * @param carrier the policy's carrier
     * @return the caller's context
     */
    public static CallerContext capture(ContextCarrier carrier) {
        Deadline deadline = Deadline.currentOrNull();
        ContextCarrier.Snapshot snapshot = carrier == ContextCarrier.none()
                ? null
                : Objects.requireNonNull(carrier.capture(), "the context carrier captured null");
        return deadline == null && snapshot == null ? EMPTY : new CallerContext(deadline, snapshot);
    }

    /** @return the caller's deadline, or null if it had none */
    public Deadline deadline() {
        return deadline;
    }

    /**
     * Runs a continuation in the caller's context on the current thread.
     *
     * @param continuation what to run
     */
    public void run(Runnable continuation) {
        Deadline previous = Deadline.replace(deadline);
        try {
            if (snapshot == null) {
                continuation.run();
            } else {
                try (ContextCarrier.Scope ignored = snapshot.restore()) {
                    continuation.run();
                }
            }
        } finally {
            Deadline.replace(previous);
        }
    }

    /**
     * Same as {@link #run(Runnable)}, for a continuation with a result.
     *
     * @param continuation what to run
     * @param <T> its result type
     * @return its result
     */
    public <T> T call(Supplier<T> continuation) {
        Deadline previous = Deadline.replace(deadline);
        try {
            if (snapshot == null) {
                return continuation.get();
            }
            try (ContextCarrier.Scope ignored = snapshot.restore()) {
                return continuation.get();
            }
        } finally {
            Deadline.replace(previous);
        }
    }

    /**
     * @param continuation what to run
     * @return a task running {@code continuation} in the caller's context, on whichever thread runs it
     */
    public Runnable wrap(Runnable continuation) {
        Objects.requireNonNull(continuation, "continuation");
        return () -> run(continuation);
    }
}

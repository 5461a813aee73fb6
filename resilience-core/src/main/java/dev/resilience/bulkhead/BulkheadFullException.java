package dev.resilience.bulkhead;

import dev.resilience.ResilienceException;

import java.time.Duration;
import java.util.Optional;

/**
 * A call was not run because its bulkhead ({@link Bulkhead} or {@link ThreadPoolBulkhead}) had no room:
 * every permit was taken for the whole {@code maxWaitDuration}, the thread pool's queue was full, or the
 * caller was interrupted while waiting. Its {@link #kind()} is the bulkhead's ({@value Bulkhead#KIND} or
 * {@value ThreadPoolBulkhead#KIND}); it is a {@link #isRejection() rejection} with no {@link #retryAfter()}.
 * No stack trace is filled in.
 */
public class BulkheadFullException extends ResilienceException {

    private static final long serialVersionUID = 2L;

    /**
     * A rejection by a semaphore {@link Bulkhead}.
     *
     * @param instanceName name of the bulkhead
     * @param message why, naming the bulkhead
     */
    public BulkheadFullException(String instanceName, String message) {
        this(instanceName, message, Bulkhead.KIND);
    }

    /**
     * @param instanceName name of the bulkhead
     * @param message why, naming the bulkhead
     * @param kind {@value Bulkhead#KIND} or {@value ThreadPoolBulkhead#KIND}: the kind of bulkhead that was full
     * @throws IllegalArgumentException if {@code kind} is neither
     */
    public BulkheadFullException(String instanceName, String message, String kind) {
        super(bulkheadKind(kind), instanceName, message, -1);
    }

    private static String bulkheadKind(String kind) {
        if (Bulkhead.KIND.equals(kind)) {
            return Bulkhead.KIND;
        }
        if (ThreadPoolBulkhead.KIND.equals(kind)) {
            return ThreadPoolBulkhead.KIND;
        }
        throw new IllegalArgumentException("kind must be '" + Bulkhead.KIND + "' or '" + ThreadPoolBulkhead.KIND
                + "', but was " + (kind == null ? "null" : "'" + kind + "'"));
    }

    /**
     * @return always empty: a bulkhead cannot tell when a permit will be free
     */
    @Override
    public Optional<Duration> retryAfter() {
        return Optional.empty();
    }
}

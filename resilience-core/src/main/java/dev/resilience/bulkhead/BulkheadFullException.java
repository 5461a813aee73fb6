package dev.resilience.bulkhead;

import dev.resilience.ResilienceException;

import java.time.Duration;
import java.util.Optional;

/**
 * A call was not run because its bulkhead ({@link Bulkhead} or {@link ThreadPoolBulkhead}) had no room:
 * every permit was taken for the whole {@code maxWaitDuration}, the thread pool's queue was full, or the
 * caller was interrupted while waiting. No stack trace is filled in.
 */
public class BulkheadFullException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    /**
     * @param instanceName name of the bulkhead
     * @param message why, naming the bulkhead
     */
    public BulkheadFullException(String instanceName, String message) {
        super(instanceName, message);
    }

    /**
     * @return always empty: a bulkhead cannot tell when a permit will be free
     */
    public Optional<Duration> retryAfter() {
        return Optional.empty();
    }
}

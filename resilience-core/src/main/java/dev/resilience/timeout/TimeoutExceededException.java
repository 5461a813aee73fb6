package dev.resilience.timeout;

import dev.resilience.ResilienceException;

import java.time.Duration;

/**
 * A call protected by a {@link Timeout} did not finish within its {@code timeoutDuration}. The caller stops
 * waiting; depending on {@link TimeoutConfig#cancelRunningFuture()} the call itself is cancelled. No stack
 * trace is filled in.
 */
public class TimeoutExceededException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    /**
     * @param instanceName name of the timeout
     * @param timeout the duration that was exceeded
     */
    public TimeoutExceededException(String instanceName, Duration timeout) {
        super(instanceName, "Timeout '" + instanceName + "': the call did not complete within " + timeout);
        this.timeout = timeout;
    }

    /** @return the duration that was exceeded */
    public Duration timeout() {
        return timeout;
    }
}

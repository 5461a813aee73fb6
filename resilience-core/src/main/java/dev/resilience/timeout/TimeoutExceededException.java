package dev.resilience.timeout;

import dev.resilience.ResilienceException;

import java.time.Duration;

/**
 * A call protected by a {@link Timeout} did not finish within its {@code timeoutDuration}. The caller stops
 * waiting; depending on {@link TimeoutConfig#cancelRunningFuture()} the call itself is cancelled. Its
 * {@link #kind()} is {@value Timeout#KIND}. It is not a {@link #isRejection() rejection}: the call was admitted and
 * not allowed to finish, and a retry treats it like any failure. No {@link #retryAfter()}; no stack trace is filled
 * in.
 */
public class TimeoutExceededException extends ResilienceException {

    private static final long serialVersionUID = 2L;

    private final Duration timeout;

    /**
     * @param instanceName name of the timeout
     * @param timeout the duration that was exceeded
     */
    public TimeoutExceededException(String instanceName, Duration timeout) {
        super(Timeout.KIND, instanceName,
                "Timeout '" + instanceName + "': the call did not complete within " + timeout, -1);
        this.timeout = timeout;
    }

    /** @return the duration that was exceeded */
    public Duration timeout() {
        return timeout;
    }

    /**
     * @return false: a timeout does not refuse to admit a call, it ends one that was admitted (also when the
     *     caller's deadline had passed before the call could start), so a retry treats it like any failure
     */
    @Override
    public boolean isRejection() {
        return false;
    }
}

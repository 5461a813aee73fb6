package dev.resilience.ratelimiter;

import dev.resilience.ResilienceException;

import java.time.Duration;
import java.util.Optional;

/**
 * A {@link RateLimiter} refused a call: no permit became available within its timeout (or the caller was
 * interrupted while waiting for one). The call did not run. Cheap: no stack trace.
 */
public class RequestNotPermittedException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    /**
     * @param instanceName the rate limiter's name
     * @param message what happened, naming the instance
     * @param retryAfter the time until the next period begins, or {@code null} if unknown
     */
    public RequestNotPermittedException(String instanceName, String message, Duration retryAfter) {
        super(instanceName, message);
        this.retryAfter = retryAfter;
    }

    /**
     * @param instanceName the rate limiter's name
     * @param retryAfter the time until the next period begins
     * @return the rejection for a caller that found no permit within its timeout
     */
    public static RequestNotPermittedException timedOut(String instanceName, Duration retryAfter) {
        return new RequestNotPermittedException(instanceName,
                "RateLimiter '" + instanceName + "' does not permit further calls: no permit within the timeout"
                        + " (next period in " + retryAfter + ")", retryAfter);
    }

    /**
     * @param instanceName the rate limiter's name
     * @return the rejection for a caller interrupted while waiting for its permit
     */
    public static RequestNotPermittedException interrupted(String instanceName) {
        return new RequestNotPermittedException(instanceName,
                "RateLimiter '" + instanceName + "' did not run the call: interrupted while waiting for a permit", null);
    }

    /** @return the time until the next period begins (a hint for a {@code Retry-After} header), if known */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}

package dev.resilience.ratelimiter;

import dev.resilience.ResilienceException;

import java.time.Duration;
import java.util.Optional;

/**
 * A {@link RateLimiter} refused a call: no permit became available within its timeout (or the caller was
 * interrupted while waiting for one). The call did not run. Its {@link #kind()} is {@value #KIND}; it is a
 * {@link #isRejection() rejection}, and {@link #retryAfter()} gives the time until the limiter's next period.
 * Cheap: no stack trace.
 */
public class RequestNotPermittedException extends ResilienceException {

    private static final long serialVersionUID = 2L;

    /** The {@link #kind()} of a rate limiter's rejection, as in property names ({@code resilience.ratelimiter.*}). */
    public static final String KIND = "ratelimiter";

    /**
     * @param instanceName the rate limiter's name
     * @param message what happened, naming the instance
     * @param retryAfter the time until the next period begins, or {@code null} if unknown
     */
    public RequestNotPermittedException(String instanceName, String message, Duration retryAfter) {
        this(instanceName, message, nanos(retryAfter));
    }

    /**
     * Same as {@link #RequestNotPermittedException(String, String, Duration)} without a {@code Duration} to
     * allocate.
     *
     * @param instanceName the rate limiter's name
     * @param message what happened, naming the instance
     * @param retryAfterNanos the time until the next period begins in nanoseconds, or a negative value if unknown
     */
    public RequestNotPermittedException(String instanceName, String message, long retryAfterNanos) {
        super(KIND, instanceName, message, retryAfterNanos);
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

    /**
     * @param instanceName the rate limiter's name
     * @param store the shared store's name
     * @return the rejection for a caller refused because the limiter's shared store failed and its
     *     {@link StoreFailureMode} is {@link StoreFailureMode#DENY}
     */
    public static RequestNotPermittedException storeUnavailable(String instanceName, String store) {
        return new RequestNotPermittedException(instanceName,
                "RateLimiter '" + instanceName + "' does not permit further calls: its shared store (" + store
                        + ") is unavailable and on-store-failure is DENY", null);
    }

    /**
     * @return the time until the next period begins (a hint for a {@code Retry-After} header), if known (not for
     *     a caller interrupted while waiting)
     */
    @Override
    public Optional<Duration> retryAfter() {
        return super.retryAfter();
    }

    /** @return the wait in nanoseconds, saturating at {@code Long.MAX_VALUE}; -1 for {@code null} (unknown) */
    private static long nanos(Duration retryAfter) {
        if (retryAfter == null) {
            return -1;
        }
        if (retryAfter.isNegative()) {
            return 0;
        }
        try {
            return retryAfter.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}

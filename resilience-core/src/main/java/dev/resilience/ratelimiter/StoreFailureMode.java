package dev.resilience.ratelimiter;

/**
 * What a {@link RateLimiter} backed by a shared {@link dev.resilience.spi.RateLimiterStore} does while the store fails
 * (an error, or no answer within the command timeout). Recovery is automatic: the limiter asks the store again (one
 * caller at a time, at most once a second) and uses it as soon as it answers.
 */
public enum StoreFailureMode {

    /**
     * Each instance enforces the limit on its own, with a local limiter of the same settings: the fleet admits at most
     * (number of instances) x {@code limitForPeriod} per period meanwhile. The default: the service keeps working and
     * the downstream stays protected, if less tightly.
     */
    LOCAL,

    /** Every call is admitted: availability over protection. */
    ALLOW,

    /** Every call is refused with {@link RequestNotPermittedException}: protection over availability. */
    DENY
}

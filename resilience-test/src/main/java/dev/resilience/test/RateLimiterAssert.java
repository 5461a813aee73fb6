package dev.resilience.test;

import dev.resilience.ratelimiter.RateLimiter;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link RateLimiter}'s free permits. */
public final class RateLimiterAssert extends AbstractAssert<RateLimiterAssert, RateLimiter> {

    RateLimiterAssert(RateLimiter actual) {
        super(actual, RateLimiterAssert.class);
    }

    /**
     * @param permits the permits expected to be free in the current period
     * @return this
     */
    public RateLimiterAssert hasAvailablePermissions(int permits) {
        isNotNull();
        int available = actual.metrics().availablePermissions();
        if (available != permits) {
            failWithMessage("Expected rate limiter '%s' to have %s free permits but it had %s (%s)", actual.name(),
                    permits, available, actual.metrics());
        }
        return this;
    }

    /** @return this, if the current period has no free permit left */
    public RateLimiterAssert isExhausted() {
        return hasAvailablePermissions(0);
    }
}

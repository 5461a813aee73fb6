package dev.resilience.ratelimiter;

/** How many of a run of permission requests a rate limiter grants. */
final class Admissions {

    private Admissions() {
    }

    static int admitted(RateLimiter limiter, int tries) {
        int admitted = 0;
        for (int i = 0; i < tries; i++) {
            if (limiter.acquirePermission()) {
                admitted++;
            }
        }
        return admitted;
    }
}

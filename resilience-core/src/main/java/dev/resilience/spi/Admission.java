package dev.resilience.spi;

/**
 * A {@link RateLimiterStore}'s answer to one request for a permit: granted now, granted after a wait (a permit of a
 * later period, reserved), or refused (nothing consumed). Immutable; {@link #granted(int)} with a known remaining count
 * allocates, {@link #GRANTED} does not.
 */
public final class Admission {

    /** A permit of the current period, remaining count unknown. */
    public static final Admission GRANTED = new Admission(0, -1, -1);

    /** Negative for a refusal, else the wait. */
    private final long waitNanos;
    private final long retryAfterNanos;
    private final int remaining;

    private Admission(long waitNanos, long retryAfterNanos, int remaining) {
        this.waitNanos = waitNanos;
        this.retryAfterNanos = retryAfterNanos;
        this.remaining = remaining;
    }

    /**
     * @param remaining permits still free in the current period after this one, or -1 if unknown
     * @return a permit of the current period
     */
    public static Admission granted(int remaining) {
        return remaining < 0 ? GRANTED : new Admission(0, -1, remaining);
    }

    /**
     * @param waitNanos how long until the period of the reserved permit begins; the caller runs then, not earlier
     * @return a permit of a later period, reserved for this caller
     */
    public static Admission afterWait(long waitNanos) {
        if (waitNanos < 0) {
            throw new IllegalArgumentException("waitNanos must be >= 0, was " + waitNanos);
        }
        return waitNanos == 0 ? GRANTED : new Admission(waitNanos, -1, 0);
    }

    /**
     * @param retryAfterNanos how long until a permit may be free again (a hint for the caller), or -1 if unknown
     * @return a refusal: no permit within the caller's longest wait; nothing was consumed
     */
    public static Admission refused(long retryAfterNanos) {
        return new Admission(-1, Math.max(-1, retryAfterNanos), 0);
    }

    /** @return whether a permit was granted (now or after {@link #waitNanos()}) */
    public boolean isGranted() {
        return waitNanos >= 0;
    }

    /** @return for a granted permit, how long the caller must wait before it runs (0: at once); -1 if refused */
    public long waitNanos() {
        return waitNanos;
    }

    /** @return for a refusal, the time until a permit may be free again, or -1 if unknown (or granted) */
    public long retryAfterNanos() {
        return retryAfterNanos;
    }

    /** @return permits still free in the current period, or -1 if the store did not say */
    public int remaining() {
        return remaining;
    }

    @Override
    public String toString() {
        return !isGranted() ? "Admission{refused, retryAfterNanos=" + retryAfterNanos + '}'
                : "Admission{granted, waitNanos=" + waitNanos + ", remaining=" + remaining + '}';
    }
}

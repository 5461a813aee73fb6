package dev.resilience.circuitbreaker.internal;

/**
 * The four disjoint outcome categories a window counts. Bit 0 = slow, bit 1 = failed, so
 * {@code category = (failed ? FAILED : 0) | (slow ? SLOW : 0)}.
 */
final class Outcome {

    static final int SUCCESS = 0;
    static final int SLOW_SUCCESS = 1;
    static final int FAILURE = 2;
    static final int SLOW_FAILURE = 3;
    static final int SLOW = 1;
    static final int FAILED = 2;

    private Outcome() {
    }
}

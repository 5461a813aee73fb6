package dev.resilience.circuitbreaker.internal;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;

/**
 * One state of a breaker, as an object: the breaker holds the current one in an {@link java.util.concurrent.atomic
 * AtomicReference}, and a transition is a compare-and-set from one state object to a fresh one (see
 * {@link CircuitBreakerImpl}). A call records its outcome into the state object that admitted it; once that state has
 * been replaced, what it records decides nothing.
 *
 * <p>The states: {@link ClosedState}, {@link OpenState}, {@link HalfOpenState} and {@link FixedState} (FORCED_OPEN,
 * DISABLED). Each keeps its breaker to read the settings, to read the current state and to make transitions.
 */
abstract class BreakerState {

    // What tryAcquire decides. Any other value is a rejection carrying the remaining open-state wait in nanoseconds
    // (REJECT: unknown), so that rejecting reads the clock at most once.
    static final long PERMIT = Long.MIN_VALUE;
    static final long RETRY = Long.MIN_VALUE + 1;
    static final long REJECT = -1L;
    /** In place of an open-state wait: the configured one for the opening. */
    static final long CONFIGURED_WAIT = -1L;

    final CircuitBreakerImpl breaker;
    /** The state that replaced this one, linked once by the thread that replaced it (for publishing in order). */
    volatile BreakerState next;
    /** Whether {@link CircuitBreakerImpl#reset()} entered this state; written before it is linked. */
    boolean enteredByReset;
    /**
     * Whether {@link CircuitBreakerImpl#reconfigure} entered this state, to give the CLOSED window a new type or size:
     * not a transition, so none is published. Written before it is linked.
     */
    boolean enteredByReconfiguration;

    BreakerState(CircuitBreakerImpl breaker) {
        this.breaker = breaker;
    }

    abstract State state();

    /**
     * @return PERMIT, RETRY (the state changed: read it again), or a rejection: the remaining open-state wait in
     *     nanoseconds, or REJECT when unknown
     */
    abstract long tryAcquire();

    /** @return whether outcomes of calls admitted by this state are recorded at all */
    boolean recording() {
        return true;
    }

    /**
     * Counts a fast success without entering it into the window yet, where that cannot change a decision.
     *
     * @param nowNanos the time read for the outcome (0 where none is needed)
     * @param settings the settings the call was admitted under (read once per call, not again here)
     * @return whether the success was counted; {@code false}: record it as usual
     */
    boolean deferSuccess(long nowNanos, BreakerSettings settings) {
        return false;
    }

    /** @return whether recording needs the current time even without slow-call detection */
    boolean needsTime() {
        return false;
    }

    /**
     * Enters an outcome into this state's window and makes the transition it calls for.
     *
     * @param category the {@link Outcome} category
     * @param nowNanos the time read for the outcome (0 where none is needed)
     */
    void record(int category, long nowNanos) {
    }

    /** Gives back the permit of a call whose outcome is ignored. */
    void release() {
    }

    /** Called once by the thread that made this state current, after the previous state's {@link #exit()}. */
    void enter() {
    }

    /** Called once by the thread that replaced this state. */
    void exit() {
    }

    /** @return the counts to show while OPEN after leaving this state */
    long[] frozenCounts() {
        return new long[4];
    }

    /** @return the minimum number of calls under which this state's rates read as -1 */
    int minimumCalls() {
        return breaker.settings.minimumCalls;
    }

    /**
     * @return the number, from 1, of the opening in the current row of openings (see
     *     {@link CircuitBreakerImpl#nextOpening}) that this state is (OPEN) or follows (HALF_OPEN); 0 for the others,
     *     which start no row
     */
    int opening() {
        return 0;
    }

    /**
     * @param notPermittedCalls the breaker's rejections so far
     * @return this state's metrics snapshot
     */
    abstract CircuitBreakerMetrics metrics(long notPermittedCalls);
}

package dev.resilience.circuitbreaker;

import dev.resilience.ResilienceException;

import java.time.Duration;
import java.util.Optional;

/**
 * Raised instead of running a call because a circuit breaker is OPEN, FORCED_OPEN, or HALF_OPEN with all
 * trial permits taken. Its {@link #kind()} is {@value CircuitBreaker#KIND}; it is a {@link #isRejection()
 * rejection}. Cheap: no stack trace, and the message is built only when asked for.
 */
public class CallNotPermittedException extends ResilienceException {

    private static final long serialVersionUID = 2L;

    private final CircuitBreaker.State state;

    /**
     * @param instanceName the breaker's name
     * @param state the state that rejected the call
     * @param retryAfterNanos the remaining open-state wait in nanoseconds, or a negative value when unknown
     */
    public CallNotPermittedException(String instanceName, CircuitBreaker.State state, long retryAfterNanos) {
        super(CircuitBreaker.KIND, instanceName, null, retryAfterNanos);
        this.state = state;
    }

    @Override
    public String getMessage() {
        return "CircuitBreaker '" + instanceName() + "' is " + state + " and does not permit "
                + (state == CircuitBreaker.State.HALF_OPEN ? "further calls" : "calls");
    }

    /** @return the state that rejected the call */
    public CircuitBreaker.State state() {
        return state;
    }

    /**
     * @return how long until the breaker leaves OPEN, when known (OPEN); empty for FORCED_OPEN and for a full
     *     HALF_OPEN state
     */
    @Override
    public Optional<Duration> retryAfter() {
        return super.retryAfter();
    }
}

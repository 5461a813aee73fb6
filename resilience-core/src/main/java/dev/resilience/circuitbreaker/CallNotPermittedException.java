package dev.resilience.circuitbreaker;

import dev.resilience.ResilienceException;

import java.time.Duration;
import java.util.Optional;

/**
 * Raised instead of running a call because a circuit breaker is OPEN, FORCED_OPEN, or HALF_OPEN with all
 * trial permits taken. Cheap: no stack trace, and the message is built only when asked for.
 */
public class CallNotPermittedException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    private final CircuitBreaker.State state;
    private final long retryAfterNanos;

    /**
     * @param instanceName the breaker's name
     * @param state the state that rejected the call
     * @param retryAfterNanos the remaining open-state wait in nanoseconds, or a negative value when unknown
     */
    public CallNotPermittedException(String instanceName, CircuitBreaker.State state, long retryAfterNanos) {
        super(instanceName, null);
        this.state = state;
        this.retryAfterNanos = retryAfterNanos;
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
    public Optional<Duration> retryAfter() {
        return retryAfterNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(retryAfterNanos));
    }
}

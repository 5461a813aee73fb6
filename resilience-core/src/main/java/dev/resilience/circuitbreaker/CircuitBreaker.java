package dev.resilience.circuitbreaker;

import dev.resilience.Policy;
import dev.resilience.circuitbreaker.internal.CircuitBreakerImpl;
import dev.resilience.core.Clock;
import dev.resilience.core.Events;

/**
 * A circuit breaker: stops calling a failing or slow dependency for a while, then lets a few trial calls
 * through to find out whether it has recovered.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.of("inventory", CircuitBreakerConfig.builder()
 *         .slidingWindowSize(10).minimumNumberOfCalls(5).failureRateThreshold(50)
 *         .waitDurationInOpenState(Duration.ofSeconds(30))
 *         .build());
 * Stock stock = breaker.call(() -> client.fetch(sku));
 * }</pre>
 *
 * <p>States:
 * <ul>
 *   <li>{@link State#CLOSED}: calls run; their outcomes are recorded in a sliding window. Once the window
 *   holds at least {@link CircuitBreakerConfig#minimumNumberOfCalls()} calls and the failure rate or the
 *   slow-call rate reaches (&gt;=) its threshold, the breaker opens.</li>
 *   <li>{@link State#OPEN}: calls are rejected with {@link CallNotPermittedException} until
 *   {@link CircuitBreakerConfig#waitDurationInOpenState()} has passed; then the first call (or a timer, when
 *   {@link CircuitBreakerConfig#automaticTransitionFromOpenToHalfOpenEnabled()}) moves the breaker to
 *   HALF_OPEN.</li>
 *   <li>{@link State#HALF_OPEN}: exactly {@link CircuitBreakerConfig#permittedNumberOfCallsInHalfOpenState()}
 *   trial calls run, the rest are rejected; once all trial outcomes are in, their rates decide CLOSED or OPEN.
 *   A trial call ending with an ignored exception gives its permit back.</li>
 *   <li>{@link State#FORCED_OPEN} rejects every call and {@link State#DISABLED} admits every call and records
 *   nothing, until a manual transition.</li>
 * </ul>
 *
 * <p>An outcome is always recorded into the state that admitted its call: a call admitted while CLOSED that
 * ends after the breaker has opened and half-opened again does not count as a trial call.
 *
 * <p>Thread-safe and lock-free; the call path allocates nothing when nobody listens to events.
 */
public interface CircuitBreaker extends Policy {

    /** The kind string used in property names and events. */
    String KIND = "circuitbreaker";

    /**
     * @param name instance name
     * @param config configuration
     * @return a breaker on the system clock, in state CLOSED
     */
    static CircuitBreaker of(String name, CircuitBreakerConfig config) {
        return of(name, config, Clock.system());
    }

    /**
     * @param name instance name
     * @param config configuration
     * @param clock the time source (a {@code ManualClock} in tests)
     * @return a breaker in state CLOSED
     */
    static CircuitBreaker of(String name, CircuitBreakerConfig config, Clock clock) {
        return new CircuitBreakerImpl(name, config, clock);
    }

    /**
     * @param name instance name
     * @return a breaker with {@link CircuitBreakerConfig#defaults()} on the system clock
     */
    static CircuitBreaker ofDefaults(String name) {
        return of(name, CircuitBreakerConfig.defaults());
    }

    /** @return the configuration this breaker was built with */
    CircuitBreakerConfig config();

    /** @return the current state */
    State state();

    /** @return an immutable snapshot of the current state and window */
    CircuitBreakerMetrics metrics();

    /**
     * @return where to subscribe to this breaker's events. The events of transitions (STATE_TRANSITION, RESET and
     *     the rate-exceeded events that precede an opening) reach listeners one at a time, each once, in the order
     *     the transitions happened, so that each transition starts in the state the previous one ended in. They may
     *     be delivered on the thread of a later transition, and a transition made by a listener is delivered after
     *     that listener returns. Other events go out on the thread of their call.
     */
    @Override
    Events<CircuitBreakerEvent> events();

    /** Moves to CLOSED with an empty window. Does nothing if already CLOSED. */
    void transitionToClosedState();

    /** Moves to OPEN (the open-state wait starts now). Does nothing if already OPEN. */
    void transitionToOpenState();

    /** Moves to HALF_OPEN with a fresh set of trial permits. Does nothing if already HALF_OPEN. */
    void transitionToHalfOpenState();

    /** Moves to FORCED_OPEN: every call is rejected until another manual transition. Does nothing if already there. */
    void transitionToForcedOpenState();

    /** Moves to DISABLED: every call runs and nothing is recorded until another manual transition. Does nothing if already there. */
    void transitionToDisabledState();

    /**
     * Returns to CLOSED with an empty window and clears the metrics, including the not-permitted count.
     * Publishes a RESET event (and a STATE_TRANSITION event if the state was not CLOSED).
     */
    void reset();

    /** The states of a circuit breaker. */
    enum State {
        /** Calls run and are recorded. */
        CLOSED,
        /** Calls are rejected until the open-state wait has passed. */
        OPEN,
        /** A limited number of trial calls run; their outcomes decide CLOSED or OPEN. */
        HALF_OPEN,
        /** Every call is rejected, until a manual transition. */
        FORCED_OPEN,
        /** Every call runs and nothing is recorded, until a manual transition. */
        DISABLED
    }
}

package dev.resilience.circuitbreaker;

import dev.resilience.Policy;
import dev.resilience.circuitbreaker.internal.CircuitBreakerImpl;
import dev.resilience.core.Clock;
import dev.resilience.core.Events;

import java.time.Duration;

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
 *   the open-state wait has passed ({@link CircuitBreakerConfig#waitDurationInOpenState()}, growing by
 *   {@link CircuitBreakerConfig#waitDurationInOpenStateMultiplier()} with each opening in a row); then the first call (or a timer, when
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
 * <p>Where a call cannot be wrapped in a lambda (a gateway filter, a message listener that acknowledges later),
 * {@link #tryAcquire()} admits it and returns a {@link Permit} to finish with its outcome.
 *
 * <p>Thread-safe. The call path takes no lock and allocates nothing when nobody listens to events. It is not
 * lock-free throughout: a call entering a COUNT_BASED window waits for the call before it on the same slot to finish
 * its write, and a call entering a TIME_BASED window waits for the window's move to a new second to finish.
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

    /** @return the configuration in force: the one this breaker was built with, or the last {@link #reconfigure} */
    CircuitBreakerConfig config();

    /**
     * Replaces the configuration of this running breaker, keeping its state and what it has recorded; publishes
     * CONFIG_CHANGED. The config was validated when it was built, so this cannot fail half-way.
     *
     * <ul>
     *   <li>The state stays as it is: a CLOSED breaker stays CLOSED, an OPEN one OPEN, and so on; no transition is
     *   made and none is published.</li>
     *   <li>A CLOSED breaker keeps its window. A window of another size keeps the latest outcomes (for TIME_BASED:
     *   the latest seconds) that fit; a window of another type starts empty, since counted outcomes carry no time.
     *   Calls admitted before the change and finishing after it are recorded in the new window: none is lost, none
     *   counted twice.</li>
     *   <li>Thresholds, the minimum number of calls, the slow-call duration and the exception and result
     *   classification apply at the next evaluation (the next outcome recorded); the change itself evaluates
     *   nothing, so a breaker over a lowered threshold opens on its next recorded failure or slow call, not at
     *   once.</li>
     *   <li>An OPEN breaker keeps the wait it opened with; the new open-state wait (and multiplier, maximum and
     *   automatic transition) applies from the next opening. A HALF_OPEN breaker keeps its trial permits, its
     *   trial window and its longest stay; the new ones apply from the next HALF_OPEN.</li>
     * </ul>
     *
     * <p>Calls are not blocked by a change; a call ending while a CLOSED window of another size is being filled
     * waits for that copy (of at most the old window's outcomes) to finish. Changes take turns.
     *
     * @param config the new configuration
     * @throws NullPointerException if {@code config} is null
     * @throws UnsupportedOperationException if this implementation cannot change its configuration at run time (the
     *     built-in one can)
     */
    default void reconfigure(CircuitBreakerConfig config) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot change its configuration at run time");
    }

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

    /**
     * Admits one call that the caller runs itself, for integrations that cannot wrap the call in
     * {@link #call(dev.resilience.core.ThrowingSupplier) call}: the returned permit must be finished exactly once,
     * with {@link Permit#onSuccess()}, {@link Permit#onError(Throwable)} or {@link Permit#onIgnore()}, and its outcome
     * is then recorded as that of a wrapped call (the same classification of exceptions, slow-call detection, events
     * and metrics), into the state that admitted it.
     *
     * <pre>{@code
     * CircuitBreaker.Permit permit = breaker.tryAcquire();
     * if (permit == null) {
     *     return serviceUnavailable();              // rejected, counted as not permitted
     * }
     * try {
     *     Response response = forward(request);
     *     permit.onSuccess();
     *     return response;
     * } catch (Exception e) {
     *     permit.onError(e);
     *     throw e;
     * }
     * }</pre>
     *
     * <p>A permit that is never finished keeps its trial call in HALF_OPEN: the breaker then lets fewer trials
     * through and cannot decide until {@link CircuitBreakerConfig#maxWaitDurationInHalfOpenState()} sends it back to
     * OPEN, and without that limit (the default) it stays HALF_OPEN until a manual transition. Finish every permit,
     * in a {@code finally} if need be ({@link Permit#onIgnore()} when the outcome is unknown).
     *
     * @return a permit to finish, or {@code null} if the breaker rejects the call (OPEN, FORCED_OPEN, or HALF_OPEN with
     *     every trial taken); a rejection is counted and published as NOT_PERMITTED, as for a wrapped call. Allocates
     *     the permit (a wrapped call allocates nothing).
     */
    Permit tryAcquire();

    /** Moves to OPEN (the open-state wait starts now). Does nothing if already OPEN. */
    void transitionToOpenState();

    /**
     * Moves to OPEN for the given time instead of the configured wait; then, as after any opening, the first call
     * (or the timer of {@link CircuitBreakerConfig#automaticTransitionFromOpenToHalfOpenEnabled()}) moves the breaker
     * to HALF_OPEN. If the breaker is already OPEN, its wait restarts now with this duration (published as a
     * STATE_TRANSITION from OPEN to OPEN). This opening counts in the row of openings that
     * {@link CircuitBreakerConfig#waitDurationInOpenStateMultiplier()} grows (it continues the row when the breaker was
     * HALF_OPEN or OPEN, starts one otherwise), so the waits after it grow as after an ordinary opening.
     *
     * @param duration how long to stay OPEN, positive; over about 292 years (a {@code long} of nanoseconds) means
     *     for ever (until a manual transition)
     * @throws IllegalArgumentException if the duration is null, zero or negative
     */
    void transitionToOpenStateFor(Duration duration);

    /**
     * Moves to HALF_OPEN with a fresh set of trial permits, from any state, CLOSED included (Resilience4j refuses
     * CLOSED to HALF_OPEN with an {@code IllegalStateTransitionException}; an operator asking for trial calls gets
     * them here). Does nothing if already HALF_OPEN.
     */
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

    /**
     * A call admitted by {@link #tryAcquire()}, to be finished exactly once. The first finish records the outcome and
     * returns {@code true}; any later finish records nothing and returns {@code false}, whichever method it uses and
     * whichever thread calls it (concurrent finishes: exactly one wins). Thread-safe.
     *
     * <p>The finishing methods without a duration time the call from {@link #tryAcquire()} to the finish, with the
     * breaker's clock and the precision of
     * {@link CircuitBreakerConfig.Builder#slowCallDurationThreshold(Duration) slow-call detection}; those with a
     * duration take the caller's measurement instead. No result value is passed, so
     * {@link CircuitBreakerConfig#recordResult()} does not apply: the caller decides success or failure.
     */
    interface Permit {

        /**
         * Records a success (slow if it took longer than the slow-call threshold).
         *
         * @return whether this finished the permit; {@code false}: it was finished before, nothing recorded
         */
        boolean onSuccess();

        /**
         * Records a success that took the given time.
         *
         * @param duration how long the call took, zero or positive
         * @return whether this finished the permit; {@code false}: it was finished before, nothing recorded
         * @throws IllegalArgumentException if the duration is null or negative (the permit stays unfinished)
         */
        boolean onSuccess(Duration duration);

        /**
         * Records the call's exception as a wrapped call's would be: a failure, or ignored (the permit given back) when
         * the configuration ignores it. A record or ignore predicate that throws makes it a failure and is attached to
         * {@code error} as suppressed.
         *
         * @param error what the call threw
         * @return whether this finished the permit; {@code false}: it was finished before, nothing recorded
         * @throws IllegalArgumentException if the error is null (the permit stays unfinished)
         */
        boolean onError(Throwable error);

        /**
         * Like {@link #onError(Throwable)}, for a call that took the given time.
         *
         * @param error what the call threw
         * @param duration how long the call took, zero or positive
         * @return whether this finished the permit; {@code false}: it was finished before, nothing recorded
         * @throws IllegalArgumentException if the error or the duration is null, or the duration negative (the permit
         *     stays unfinished)
         */
        boolean onError(Throwable error, Duration duration);

        /**
         * Records nothing and gives the permit back (in HALF_OPEN the trial can be taken again), for a call whose
         * outcome says nothing about the dependency (cancelled, never sent). Counted in
         * {@link CircuitBreakerMetrics#totalIgnoredCalls()} and published as IGNORED_ERROR, as an ignored exception is.
         *
         * @return whether this finished the permit; {@code false}: it was finished before, nothing given back
         */
        boolean onIgnore();
    }

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

package dev.resilience.circuitbreaker;

import dev.resilience.core.ResilienceEvent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something a circuit breaker did. Created only when someone listens.
 *
 * @param name the breaker's name
 * @param eventType what happened
 * @param epochMillis when, from the breaker's clock
 * @param details event-specific facts: {@code from}/{@code to} (state names) for STATE_TRANSITION;
 *     {@code error} (exception class name) for ERROR and IGNORED_ERROR; {@code result} for an ERROR caused by a
 *     recorded result; {@code predicateError} (exception class name) for an ERROR recorded because a record, ignore or
 *     result predicate threw; {@code state} for NOT_PERMITTED; {@code failureRate}/{@code slowCallRate} for the
 *     rate-exceeded events
 */
public record CircuitBreakerEvent(String name, Type eventType, long epochMillis, Map<String, Object> details)
        implements ResilienceEvent {

    /**
     * @param name the breaker's name
     * @param eventType what happened
     * @param epochMillis when
     * @param details facts, copied in their order
     */
    public CircuitBreakerEvent {
        // An unmodifiable copy that keeps the given order (Map.copyOf would not), so JSON reads from, then to.
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    @Override
    public String kind() {
        return CircuitBreaker.KIND;
    }

    @Override
    public String type() {
        return eventType.name();
    }

    /** What a circuit breaker event reports. */
    public enum Type {
        /** A call succeeded and was recorded. */
        SUCCESS,
        /** A call failed (or returned a recorded result) and was recorded as a failure. */
        ERROR,
        /** A call failed with an ignored exception (or its asynchronous stage was cancelled): not recorded. */
        IGNORED_ERROR,
        /** A call was rejected. */
        NOT_PERMITTED,
        /** The state changed; exactly one event per transition. */
        STATE_TRANSITION,
        /** The breaker was reset. */
        RESET,
        /** The failure rate reached its threshold (followed by a transition to OPEN). */
        FAILURE_RATE_EXCEEDED,
        /** The slow-call rate reached its threshold (followed by a transition to OPEN). */
        SLOW_CALL_RATE_EXCEEDED,
        /**
         * {@link CircuitBreaker#reconfigure} changed the settings; details {@code from} and {@code to}: the settings
         * before and after.
         */
        CONFIG_CHANGED
    }
}

package dev.resilience.timeout;

import dev.resilience.core.ResilienceEvent;

import java.util.Map;

/**
 * The outcome of a call protected by a {@link Timeout}. Created only when someone listens.
 *
 * @param name the timeout's name
 * @param eventType what happened
 * @param epochMillis when, from the timeout's clock
 * @param error the call's failure for {@link Type#ERROR}, else null
 */
public record TimeoutEvent(String name, Type eventType, long epochMillis, Throwable error) implements ResilienceEvent {

    /** What happened. */
    public enum Type {
        /** The call returned a value in time. */
        SUCCESS,
        /** The call failed in time with its own exception. */
        ERROR,
        /** The call did not finish in time; the caller got {@link TimeoutExceededException}. */
        TIMEOUT
    }

    /** @return {@code timeout} */
    @Override
    public String kind() {
        return Timeout.KIND;
    }

    /** @return the {@link Type} name */
    @Override
    public String type() {
        return eventType.name();
    }

    /** @return {@code error} (the exception's class name) for ERROR events, else empty */
    @Override
    public Map<String, Object> details() {
        return error == null ? Map.of() : Map.of("error", error.getClass().getName());
    }
}

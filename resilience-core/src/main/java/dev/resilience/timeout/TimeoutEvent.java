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
 * @param change for {@link Type#CONFIG_CHANGED}: {@code from} and {@code to}, the settings before and after; else empty
 */
public record TimeoutEvent(String name, Type eventType, long epochMillis, Throwable error, Map<String, Object> change)
        implements ResilienceEvent {

    /** @param change copied; null reads as empty */
    public TimeoutEvent {
        change = change == null ? Map.of() : Map.copyOf(change);
    }

    /**
     * An event of a call (no configuration change).
     *
     * @param name the timeout's name
     * @param eventType what happened
     * @param epochMillis when, from the timeout's clock
     * @param error the call's failure for {@link Type#ERROR}, else null
     */
    public TimeoutEvent(String name, Type eventType, long epochMillis, Throwable error) {
        this(name, eventType, epochMillis, error, Map.of());
    }

    /** What happened. */
    public enum Type {
        /** The call returned a value in time. */
        SUCCESS,
        /** The call failed in time with its own exception. */
        ERROR,
        /** The call did not finish in time; the caller got {@link TimeoutExceededException}. */
        TIMEOUT,
        /** {@link Timeout#reconfigure} changed the settings; {@link #change()} says from what to what. */
        CONFIG_CHANGED
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
        if (eventType == Type.CONFIG_CHANGED) {
            return change;
        }
        return error == null ? Map.of() : Map.of("error", error.getClass().getName());
    }
}

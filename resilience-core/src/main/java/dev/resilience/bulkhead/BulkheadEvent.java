package dev.resilience.bulkhead;

import dev.resilience.core.ResilienceEvent;

import java.util.Map;

/**
 * Something a {@link Bulkhead} did with a call. Created only when someone listens.
 *
 * @param name the bulkhead's name
 * @param eventType what happened
 * @param epochMillis when, from the bulkhead's clock
 * @param availableConcurrentCalls permits free just after the event
 * @param change for {@link Type#CONFIG_CHANGED}: {@code from} and {@code to}, the settings before and after; else empty
 */
public record BulkheadEvent(String name, Type eventType, long epochMillis, int availableConcurrentCalls,
                            Map<String, Object> change) implements ResilienceEvent {

    /** @param change copied; null reads as empty */
    public BulkheadEvent {
        change = change == null ? Map.of() : Map.copyOf(change);
    }

    /**
     * An event of a call (no configuration change).
     *
     * @param name the bulkhead's name
     * @param eventType what happened
     * @param epochMillis when, from the bulkhead's clock
     * @param availableConcurrentCalls permits free just after the event
     */
    public BulkheadEvent(String name, Type eventType, long epochMillis, int availableConcurrentCalls) {
        this(name, eventType, epochMillis, availableConcurrentCalls, Map.of());
    }

    /** What happened. */
    public enum Type {
        /** The call got a permit and runs. */
        CALL_PERMITTED,
        /** The call got no permit and was rejected with {@link BulkheadFullException}. */
        CALL_REJECTED,
        /** A permitted call finished (whatever its outcome) and returned its permit. */
        CALL_FINISHED,
        /** {@link Bulkhead#reconfigure} changed the settings; {@link #change()} says from what to what. */
        CONFIG_CHANGED
    }

    /** @return {@code bulkhead} */
    @Override
    public String kind() {
        return Bulkhead.KIND;
    }

    /** @return the {@link Type} name */
    @Override
    public String type() {
        return eventType.name();
    }

    /** @return {@code availableConcurrentCalls} */
    @Override
    public Map<String, Object> details() {
        if (eventType == Type.CONFIG_CHANGED) {
            Map<String, Object> details = new java.util.LinkedHashMap<>(change);
            details.put("availableConcurrentCalls", availableConcurrentCalls);
            return details;
        }
        return Map.of("availableConcurrentCalls", availableConcurrentCalls);
    }
}

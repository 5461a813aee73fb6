package dev.resilience.bulkhead;

import dev.resilience.core.ResilienceEvent;

import java.util.Map;

/**
 * Something a {@link ThreadPoolBulkhead} did with a call. Created only when someone listens.
 *
 * @param name the bulkhead's name
 * @param eventType what happened
 * @param epochMillis when, from the bulkhead's clock
 * @param change for {@link Type#CONFIG_CHANGED}: {@code from} and {@code to}, the settings before and after; else empty
 */
public record ThreadPoolBulkheadEvent(String name, Type eventType, long epochMillis, Map<String, Object> change)
        implements ResilienceEvent {

    /** @param change copied; null reads as empty */
    public ThreadPoolBulkheadEvent {
        change = change == null ? Map.of() : Map.copyOf(change);
    }

    /**
     * An event of a call (no configuration change).
     *
     * @param name the bulkhead's name
     * @param eventType what happened
     * @param epochMillis when, from the bulkhead's clock
     */
    public ThreadPoolBulkheadEvent(String name, Type eventType, long epochMillis) {
        this(name, eventType, epochMillis, Map.of());
    }

    /** What happened. */
    public enum Type {
        /** The call was accepted by the pool (runs now or waits in the queue). */
        CALL_PERMITTED,
        /** The pool and its queue were full: the call was rejected with {@link BulkheadFullException}. */
        CALL_REJECTED,
        /** An accepted call finished on its pool thread, whatever its outcome. */
        CALL_FINISHED,
        /** {@link ThreadPoolBulkhead#reconfigure} changed the settings; {@link #change()} says from what to what. */
        CONFIG_CHANGED
    }

    /** @return {@code thread-pool-bulkhead} */
    @Override
    public String kind() {
        return ThreadPoolBulkhead.KIND;
    }

    /** @return the {@link Type} name */
    @Override
    public String type() {
        return eventType.name();
    }

    /** @return for CONFIG_CHANGED, {@code from} and {@code to}; else nothing */
    @Override
    public Map<String, Object> details() {
        return change;
    }
}

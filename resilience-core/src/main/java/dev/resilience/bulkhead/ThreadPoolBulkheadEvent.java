package dev.resilience.bulkhead;

import dev.resilience.core.ResilienceEvent;

import java.util.Map;

/**
 * Something a {@link ThreadPoolBulkhead} did with a call. Created only when someone listens.
 *
 * @param name the bulkhead's name
 * @param eventType what happened
 * @param epochMillis when, from the bulkhead's clock
 */
public record ThreadPoolBulkheadEvent(String name, Type eventType, long epochMillis) implements ResilienceEvent {

    /** What happened. */
    public enum Type {
        /** The call was accepted by the pool (runs now or waits in the queue). */
        CALL_PERMITTED,
        /** The pool and its queue were full: the call was rejected with {@link BulkheadFullException}. */
        CALL_REJECTED,
        /** An accepted call finished on its pool thread, whatever its outcome. */
        CALL_FINISHED
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

    /** @return no details */
    @Override
    public Map<String, Object> details() {
        return Map.of();
    }
}

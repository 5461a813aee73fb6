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
 */
public record BulkheadEvent(String name, Type eventType, long epochMillis, int availableConcurrentCalls)
        implements ResilienceEvent {

    /** What happened. */
    public enum Type {
        /** The call got a permit and runs. */
        CALL_PERMITTED,
        /** The call got no permit and was rejected with {@link BulkheadFullException}. */
        CALL_REJECTED,
        /** A permitted call finished (whatever its outcome) and returned its permit. */
        CALL_FINISHED
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
        return Map.of("availableConcurrentCalls", availableConcurrentCalls);
    }
}

package dev.resilience.core;

import java.time.Instant;
import java.util.Map;

/**
 * Something a policy instance did: a state transition, a success, an error, a rejection, a retry.
 * Each pattern has its own event type implementing this interface; the common view here is what the
 * events endpoint and loggers need. Events are created only when someone listens.
 */
public interface ResilienceEvent {

    /** @return the policy kind, e.g. {@code circuitbreaker} */
    String kind();

    /** @return the instance name */
    String name();

    /** @return what happened, e.g. {@code STATE_TRANSITION}, {@code ERROR}, {@code NOT_PERMITTED} */
    String type();

    /** @return wall-clock time of the event, in epoch milliseconds (from the policy's clock) */
    long epochMillis();

    /** @return the time of the event */
    default Instant time() {
        return Instant.ofEpochMilli(epochMillis());
    }

    /** @return event-specific facts (e.g. {@code from}, {@code to}, {@code error}), never null */
    default Map<String, Object> details() {
        return Map.of();
    }
}

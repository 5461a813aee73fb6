package dev.resilience.spring.actuate;

import dev.resilience.core.ResilienceEvent;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code resilienceevents} actuator endpoint: the recent events of every policy instance, newest last,
 * optionally filtered with {@code ?kind=} and {@code ?name=}. Each event is
 * {@code {"kind", "name", "type", "time", ...details}}, {@code time} being ISO-8601.
 */
@Endpoint(id = "resilienceevents", defaultAccess = Access.READ_ONLY)
public class ResilienceEventsEndpoint {

    private final ResilienceEventsBuffer buffer;

    /**
     * @param buffer where the recent events are kept
     */
    public ResilienceEventsEndpoint(ResilienceEventsBuffer buffer) {
        this.buffer = buffer;
    }

    /**
     * @param kind only this policy kind (e.g. {@code circuitbreaker}, {@code retry}), or all when absent
     * @param name only instances of this name, or all when absent
     * @return the matching events, newest last
     */
    @ReadOperation
    public Events events(@Nullable String kind, @Nullable String name) {
        List<ResilienceEvent> events = buffer.events(kind, name);
        List<Map<String, Object>> described = new ArrayList<>(events.size());
        for (ResilienceEvent event : events) {
            described.add(describe(event));
        }
        return new Events(described);
    }

    private static Map<String, Object> describe(ResilienceEvent event) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("kind", event.kind());
        described.put("name", event.name());
        described.put("type", event.type());
        described.put("time", event.time().toString());
        // The four common keys win over a detail of the same name.
        event.details().forEach(described::putIfAbsent);
        return described;
    }

    /**
     * The endpoint's answer.
     *
     * @param events events, newest last; each a map of {@code kind}, {@code name}, {@code type}, {@code time}
     *     and the event's details
     */
    public record Events(List<Map<String, Object>> events) {
    }
}

package dev.resilience.test;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.ResilienceEvent;
import org.assertj.core.api.AbstractAssert;

import java.util.List;

/** Assertions on {@link RecordedEvents}. */
public final class RecordedEventsAssert extends AbstractAssert<RecordedEventsAssert, RecordedEvents> {

    RecordedEventsAssert(RecordedEvents actual) {
        super(actual, RecordedEventsAssert.class);
    }

    /**
     * @param from the state left
     * @param to the state entered
     * @return this, if any circuit breaker went from {@code from} to {@code to}
     */
    public RecordedEventsAssert containsTransition(State from, State to) {
        isNotNull();
        if (actual.transitions().stream().noneMatch(t -> t.from() == from && t.to() == to)) {
            failWithMessage("Expected a circuit breaker transition %s->%s but the transitions were %s", from, to,
                    actual.transitions());
        }
        return this;
    }

    /**
     * @param breakerName the circuit breaker
     * @param from the state left
     * @param to the state entered
     * @return this, if that breaker went from {@code from} to {@code to}
     */
    public RecordedEventsAssert containsTransition(String breakerName, State from, State to) {
        isNotNull();
        List<String> transitions = actual.transitions(breakerName);
        if (!transitions.contains(from + "->" + to)) {
            failWithMessage("Expected circuit breaker '%s' to go %s->%s but its transitions were %s", breakerName, from,
                    to, transitions);
        }
        return this;
    }

    /** @return this, if no circuit breaker changed state */
    public RecordedEventsAssert hasNoTransition() {
        isNotNull();
        if (!actual.transitions().isEmpty()) {
            failWithMessage("Expected no circuit breaker transition but there were %s", actual.transitions());
        }
        return this;
    }

    /**
     * @param kind a policy kind, e.g. {@code retry}
     * @param name an instance name
     * @param type an event type, e.g. {@code RETRY}
     * @return this, if that instance published an event of that type
     */
    public RecordedEventsAssert containsEvent(String kind, String name, String type) {
        isNotNull();
        List<ResilienceEvent> events = actual.of(kind, name);
        if (events.stream().noneMatch(e -> e.type().equals(type))) {
            failWithMessage("Expected a %s event of %s '%s' but its events were %s", type, kind, name,
                    events.stream().map(ResilienceEvent::type).toList());
        }
        return this;
    }

    /** @return this, if nothing was recorded */
    public RecordedEventsAssert isEmpty() {
        isNotNull();
        if (!actual.all().isEmpty()) {
            failWithMessage("Expected no events but there were %s", actual.all());
        }
        return this;
    }
}

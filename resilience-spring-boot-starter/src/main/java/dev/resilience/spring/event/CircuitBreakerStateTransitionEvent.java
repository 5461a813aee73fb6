package dev.resilience.spring.event;

import dev.resilience.circuitbreaker.CircuitBreaker;
import org.springframework.context.ApplicationEvent;

import java.time.Instant;

/**
 * A circuit breaker changed state, published as a Spring application event when
 * {@code resilience.events.publish-application-events=true}, for {@code @EventListener} methods:
 *
 * <pre>{@code
 * @EventListener
 * void on(CircuitBreakerStateTransitionEvent event) {
 *     log.warn("{} went {} -> {}", event.getName(), event.getFrom(), event.getTo());
 * }
 * }</pre>
 *
 * <p>Published synchronously on the thread that caused the transition (unless the application's event multicaster has
 * an executor), so a listener must be quick. Its source is the circuit breaker.
 */
public class CircuitBreakerStateTransitionEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final CircuitBreaker.State from;
    private final CircuitBreaker.State to;
    private final Instant time;

    /**
     * @param breaker the circuit breaker
     * @param from the state it left
     * @param to the state it entered
     * @param time when, from the breaker's clock
     */
    public CircuitBreakerStateTransitionEvent(CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to,
                                              Instant time) {
        super(breaker);
        this.name = breaker.name();
        this.from = from;
        this.to = to;
        this.time = time;
    }

    /** @return the circuit breaker */
    public CircuitBreaker getCircuitBreaker() {
        return (CircuitBreaker) getSource();
    }

    /** @return the circuit breaker's name */
    public String getName() {
        return name;
    }

    /** @return the state it left */
    public CircuitBreaker.State getFrom() {
        return from;
    }

    /** @return the state it entered */
    public CircuitBreaker.State getTo() {
        return to;
    }

    /** @return when it changed, from the breaker's clock */
    public Instant getTime() {
        return time;
    }

    @Override
    public String toString() {
        return "CircuitBreakerStateTransitionEvent[" + name + ": " + from + " -> " + to + " at " + time + "]";
    }
}

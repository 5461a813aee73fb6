package dev.resilience.spring.event;

import dev.resilience.core.ResilienceEvent;

/**
 * A bean receiving the events of every policy instance: those created at start-up and those created later (on first
 * use of a name). Typed by its event type, it receives only that kind's events: a
 * {@code ResilienceEventListener<CircuitBreakerEvent>} hears every circuit breaker, a
 * {@code ResilienceEventListener<RetryEvent>} every retry, a {@code ResilienceEventListener<ResilienceEvent>} (or a raw
 * one) every instance of every kind.
 *
 * <pre>{@code
 * @Bean
 * ResilienceEventListener<CircuitBreakerEvent> breakerAlerts(Alerts alerts) {
 *     return event -> {
 *         if (event.eventType() == CircuitBreakerEvent.Type.STATE_TRANSITION) {
 *             alerts.send(event.name() + ": " + event.details().get("from") + " -> " + event.details().get("to"));
 *         }
 *     };
 * }
 * }</pre>
 *
 * <p>It is called on the thread that caused the event, inside the call being protected: it must be quick and must not
 * block (hand slow work to an executor). An exception it throws is logged and does not affect the call or the other
 * listeners. Listening has a price: a policy creates an event object for each call only while someone listens to it,
 * and with no listener bean (and no application events) the starter subscribes to nothing.
 *
 * <p>Listener beans are found once, when the application context has created its singletons; events of calls made
 * before then (from another bean's initialization) are not delivered.
 *
 * @param <E> the events it receives: {@link ResilienceEvent} for all, or one kind's event type
 *     ({@code CircuitBreakerEvent}, {@code RetryEvent}, {@code BulkheadEvent}, {@code ThreadPoolBulkheadEvent},
 *     {@code RateLimiterEvent}, {@code TimeoutEvent})
 */
@FunctionalInterface
public interface ResilienceEventListener<E extends ResilienceEvent> {

    /**
     * @param event what an instance did
     */
    void onEvent(E event);
}

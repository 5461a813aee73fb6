/**
 * Events as beans: every {@link dev.resilience.spring.event.ResilienceEventListener} bean receives the events of every
 * policy instance (of the kind it is typed for), and with {@code resilience.events.publish-application-events=true}
 * circuit breaker state transitions are also published as Spring application events
 * ({@link dev.resilience.spring.event.CircuitBreakerStateTransitionEvent}).
 */
package dev.resilience.spring.event;

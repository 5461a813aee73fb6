/**
 * Project Reactor operators over the core policies: {@link dev.resilience.reactor.ReactorResilience} protects each
 * subscription of a {@code Mono} or {@code Flux} once, without blocking, and carries the
 * {@link dev.resilience.deadline.Deadline} in the Reactor context.
 */
package dev.resilience.reactor;

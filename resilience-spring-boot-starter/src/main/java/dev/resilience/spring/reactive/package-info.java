/**
 * Reactive support, present when Project Reactor and {@code resilience-reactor} are on the class path: annotated
 * methods returning {@code Mono}, {@code Flux} or another reactive type protected per subscription
 * ({@link dev.resilience.spring.reactive.ReactorMethodSupport}), problem details and deadlines in WebFlux
 * applications ({@link dev.resilience.spring.reactive.DeadlineWebFilter}) and deadlines sent by {@code WebClient}
 * ({@link dev.resilience.spring.reactive.DeadlineExchangeFilterFunction}).
 */
package dev.resilience.spring.reactive;

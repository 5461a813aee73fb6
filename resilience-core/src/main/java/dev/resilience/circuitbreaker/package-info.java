/**
 * API. The circuit breaker: {@link dev.resilience.circuitbreaker.CircuitBreaker}, its configuration
 * {@link dev.resilience.circuitbreaker.CircuitBreakerConfig}, its metrics snapshot, its events and its rejection
 * {@link dev.resilience.circuitbreaker.CallNotPermittedException}.
 */
package dev.resilience.circuitbreaker;

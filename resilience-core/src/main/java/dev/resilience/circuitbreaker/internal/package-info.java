/**
 * Not API: the circuit breaker's machinery. The state machine ({@code CircuitBreakerImpl} and one class per state),
 * the deferred successes of CLOSED, the running totals, and the COUNT_BASED and TIME_BASED sliding windows. No lock
 * is taken, but the windows are not lock-free: a writer may wait for another writer to finish (see each window).
 */
package dev.resilience.circuitbreaker.internal;

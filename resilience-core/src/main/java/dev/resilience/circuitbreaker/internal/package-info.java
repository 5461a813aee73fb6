/**
 * The circuit breaker's machinery: the lock-free state machine and the COUNT_BASED and TIME_BASED sliding
 * windows. Not a public API.
 */
package dev.resilience.circuitbreaker.internal;

/**
 * Limits per key in the starter: the keyed rate limiters and bulkheads that {@code @RateLimited(key = ...)} and
 * {@code @Bulkhead(key = ...)} use, by instance name ({@link dev.resilience.spring.keyed.KeyedInstances}).
 */
package dev.resilience.spring.keyed;

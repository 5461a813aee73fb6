/**
 * Limits per key: one rate limiter or bulkhead per tenant, user or API key, built on demand from one instance's
 * config and held in a bounded, self-cleaning map ({@link dev.resilience.keyed.KeyedPolicy}).
 */
package dev.resilience.keyed;

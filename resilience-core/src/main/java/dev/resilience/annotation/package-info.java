/**
 * API. The annotations the Spring starter reads: {@code @CircuitBreaker}, {@code @Retry}, {@code @Bulkhead},
 * {@code @RateLimited} and {@code @Timeout}.
 */
package dev.resilience.annotation;

/**
 * API. The rate limiter: {@link dev.resilience.ratelimiter.RateLimiter}, its configuration, metrics snapshot,
 * events and its rejection {@link dev.resilience.ratelimiter.RequestNotPermittedException}.
 */
package dev.resilience.ratelimiter;

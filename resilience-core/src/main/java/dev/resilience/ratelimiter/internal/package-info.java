/**
 * Not API: the rate limiter's implementation and its per-period accounting. They may change in any release.
 */
package dev.resilience.ratelimiter.internal;

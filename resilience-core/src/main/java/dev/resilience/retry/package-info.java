/**
 * API. The retry: {@link dev.resilience.retry.Retry}, its configuration, the retry budget, metrics snapshot, events
 * and {@link dev.resilience.retry.MaxRetriesExceededException}.
 */
package dev.resilience.retry;

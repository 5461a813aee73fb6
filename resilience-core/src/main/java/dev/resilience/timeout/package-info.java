/**
 * API. The timeout: {@link dev.resilience.timeout.Timeout}, its configuration, metrics snapshot, events and
 * {@link dev.resilience.timeout.TimeoutExceededException}.
 */
package dev.resilience.timeout;

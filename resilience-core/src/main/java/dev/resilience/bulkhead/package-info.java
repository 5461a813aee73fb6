/**
 * API. The bulkheads: {@link dev.resilience.bulkhead.Bulkhead} (a semaphore) and
 * {@link dev.resilience.bulkhead.ThreadPoolBulkhead}, their configurations, metrics snapshots, events and their
 * rejection {@link dev.resilience.bulkhead.BulkheadFullException}.
 */
package dev.resilience.bulkhead;

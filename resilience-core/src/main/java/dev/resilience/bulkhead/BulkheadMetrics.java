package dev.resilience.bulkhead;

/**
 * A snapshot of a {@link Bulkhead}'s state.
 *
 * @param maxConcurrentCalls the configured number of permits
 * @param availableConcurrentCalls permits free at the time of the snapshot
 * @param waitingCalls calls waiting for a permit (synchronous and asynchronous)
 * @param permittedCalls calls given a permit since the bulkhead was created
 * @param rejectedCalls calls rejected with {@link BulkheadFullException} since the bulkhead was created
 */
public record BulkheadMetrics(int maxConcurrentCalls, int availableConcurrentCalls, int waitingCalls,
                              long permittedCalls, long rejectedCalls) {
}

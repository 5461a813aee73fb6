package dev.resilience.keyed;

/**
 * A snapshot of a {@link KeyedPolicy}: one instance, however many keys it holds. Counters include the keys already
 * dropped, so they never go down.
 *
 * @param keys keys held now (at most {@code maxKeys})
 * @param maxKeys the bound on keys
 * @param permittedCalls calls admitted, over all keys, since creation
 * @param rejectedCalls calls rejected by a key's limiter or bulkhead, or because every key was busy and the bound
 *     reached, since creation
 * @param waitingCalls calls waiting for a permit now, over all keys held
 * @param evictedKeys keys dropped since creation (idle past the expiry, or least recently used at the bound)
 */
public record KeyedMetrics(int keys, int maxKeys, long permittedCalls, long rejectedCalls, int waitingCalls,
                           long evictedKeys) {
}

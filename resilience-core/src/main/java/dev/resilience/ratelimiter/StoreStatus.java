package dev.resilience.ratelimiter;

/**
 * How a {@link RateLimiter}'s shared store is doing, for endpoints, health and meters.
 *
 * @param store the store's name (e.g. {@code "redis"})
 * @param storeKey the key this limiter counts under in the store
 * @param onStoreFailure what the limiter does while the store fails
 * @param available whether the store answered the last request (false from a failure until the next answer)
 * @param errors store failures (errors and command timeouts) since creation
 * @param lastError the last failure's description, or null if none yet
 */
public record StoreStatus(String store, String storeKey, StoreFailureMode onStoreFailure, boolean available,
                          long errors, String lastError) {
}

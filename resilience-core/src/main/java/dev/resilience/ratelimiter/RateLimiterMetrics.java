package dev.resilience.ratelimiter;

/**
 * A snapshot of a {@link RateLimiter}'s state and counters.
 *
 * @param limitForPeriod permits per period now in force
 * @param availablePermissions permits a caller would find now: those still free in the current period, or the
 *     refreshed count if the next period is already due but not yet opened; never negative (0 also while permits
 *     of later periods are reserved by waiting callers, where Resilience4j reports a negative count)
 * @param waitingCalls threads currently sleeping for a reserved permit (synchronous calls only; asynchronous
 *     calls waiting for their period block no thread and are not counted)
 * @param permittedCalls calls admitted since creation
 * @param rejectedCalls calls refused since creation (no permit within the timeout, or interrupted while waiting)
 */
public record RateLimiterMetrics(int limitForPeriod, int availablePermissions, int waitingCalls,
                                 long permittedCalls, long rejectedCalls) {
}

/**
 * API. Extension points the core promises to keep: {@link dev.resilience.spi.ContextCarrier}, which carries a
 * caller's thread-bound context across the thread hops of asynchronous calls; {@link dev.resilience.spi.RateLimiterStore}
 * (with its answer, {@link dev.resilience.spi.Admission}), which lets every instance of a service share one rate limit;
 * and {@link dev.resilience.spi.RetryBudgetStore}, which makes a retry budget group one budget for the fleet.
 */
package dev.resilience.spi;

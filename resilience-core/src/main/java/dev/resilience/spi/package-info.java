/**
 * API. Extension points the core promises to keep: {@link dev.resilience.spi.ContextCarrier}, which carries a
 * caller's thread-bound context across the thread hops of asynchronous calls.
 */
package dev.resilience.spi;

/**
 * Context propagation: when Micrometer's {@code io.micrometer:context-propagation} is on the classpath, the
 * thread-locals registered in its {@code ContextRegistry} (e.g. the MDC, once its accessor is registered) are
 * captured where a call is handed to another thread and restored around the work there, through the one
 * {@link dev.resilience.spi.ContextCarrier} the registries give every policy: thread-pool bulkhead threads, a
 * semaphore-bulkhead waiter run by the release that granted it, a rate-limited call started by the timer, asynchronous
 * retry attempts, and the completion (and fallback) of a timed-out asynchronous call. Without the library only the
 * caller's deadline travels.
 */
package dev.resilience.spring.context;

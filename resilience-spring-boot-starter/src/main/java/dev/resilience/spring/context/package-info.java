/**
 * Context propagation: when Micrometer's {@code io.micrometer:context-propagation} is on the classpath, the
 * thread-locals registered in its {@code ContextRegistry} (e.g. the MDC, once its accessor is registered) are
 * captured where a call is handed to another thread and restored around the work there: on thread-pool
 * bulkhead threads, on the timer thread (timeouts, backoffs), on the threads that run asynchronous retry attempts,
 * and on timeout worker threads. Without the library nothing is wrapped.
 */
package dev.resilience.spring.context;

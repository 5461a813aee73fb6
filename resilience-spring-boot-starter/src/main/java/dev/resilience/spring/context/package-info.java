/**
 * Context propagation: when Micrometer's {@code io.micrometer:context-propagation} is on the classpath, the
 * thread-locals registered in its {@code ContextRegistry} (e.g. the MDC, once its accessor is registered) are
 * captured where a call is handed to another thread and restored around the work there: on thread-pool
 * bulkhead threads, on the timer thread that runs asynchronous retry attempts and timeouts, and on the threads
 * that complete timed-out asynchronous calls (and run their fallbacks). A synchronous timeout needs nothing: the
 * method runs on its caller's thread. Without the library nothing is wrapped.
 */
package dev.resilience.spring.context;

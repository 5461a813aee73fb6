/**
 * API. Deadlines that flow through calls: {@link dev.resilience.deadline.Deadline} holds, per thread, the absolute
 * moment by which the current piece of work must be done. Timeouts set it, nested timeouts and retries read it,
 * and every policy that continues a call on another thread carries it there (see
 * {@code dev.resilience.spi.ContextCarrier} for the thread-locals an application adds).
 */
package dev.resilience.deadline;

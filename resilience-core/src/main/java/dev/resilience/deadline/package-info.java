/**
 * Deadlines that flow through calls: {@link dev.resilience.deadline.Deadline} holds, per thread, the absolute
 * moment by which the current piece of work must be done. Timeouts set it, nested timeouts and retries read it,
 * and the thread-pool bulkhead and asynchronous retries carry it to the threads they run calls on.
 */
package dev.resilience.deadline;

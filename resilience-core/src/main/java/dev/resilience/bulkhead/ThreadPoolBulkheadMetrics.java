package dev.resilience.bulkhead;

/**
 * A snapshot of a {@link ThreadPoolBulkhead}'s pool. Pool figures come from the underlying
 * {@link java.util.concurrent.ThreadPoolExecutor} and are approximate while calls come and go.
 *
 * @param coreThreadPoolSize the configured core size
 * @param maxThreadPoolSize the configured maximum size
 * @param threadPoolSize threads in the pool now
 * @param activeThreads threads running a call now
 * @param queueCapacity the configured queue capacity
 * @param queueDepth calls waiting in the queue now
 * @param remainingQueueCapacity calls the queue can still take
 * @param permittedCalls calls accepted (run or queued) since the bulkhead was created
 * @param rejectedCalls calls rejected with {@link BulkheadFullException} since the bulkhead was created
 */
public record ThreadPoolBulkheadMetrics(int coreThreadPoolSize, int maxThreadPoolSize, int threadPoolSize,
                                        int activeThreads, int queueCapacity, int queueDepth,
                                        int remainingQueueCapacity, long permittedCalls, long rejectedCalls) {
}

package dev.resilience.spring.actuate;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.BulkheadMetrics;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadConfig;
import dev.resilience.bulkhead.ThreadPoolBulkheadMetrics;
import dev.resilience.core.Registry;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code bulkheads} actuator endpoint: semaphore bulkheads (type SEMAPHORE) and thread-pool bulkheads
 * (type THREADPOOL) together, by name. A thread-pool bulkhead's concurrent calls are its threads plus its queue:
 * {@code maxConcurrentCalls = maxThreadPoolSize + queueCapacity} and the available ones are what is left of both.
 * An unknown name is never created: it answers 404.
 */
@Endpoint(id = "bulkheads", defaultAccess = Access.READ_ONLY)
public class BulkheadsEndpoint {

    private final Registry<Bulkhead, BulkheadConfig> bulkheads;
    private final Registry<ThreadPoolBulkhead, ThreadPoolBulkheadConfig> threadPoolBulkheads;

    /**
     * @param bulkheads semaphore bulkheads
     * @param threadPoolBulkheads thread-pool bulkheads
     */
    public BulkheadsEndpoint(Registry<Bulkhead, BulkheadConfig> bulkheads,
                             Registry<ThreadPoolBulkhead, ThreadPoolBulkheadConfig> threadPoolBulkheads) {
        this.bulkheads = bulkheads;
        this.threadPoolBulkheads = threadPoolBulkheads;
    }

    /** @return every bulkhead of both types, sorted by name */
    @ReadOperation
    public Bulkheads bulkheads() {
        Map<String, BulkheadDescriptor> result = new TreeMap<>();
        threadPoolBulkheads.all().forEach(bulkhead -> result.put(bulkhead.name(), BulkheadDescriptor.of(bulkhead)));
        bulkheads.all().forEach(bulkhead -> result.put(bulkhead.name(), BulkheadDescriptor.of(bulkhead)));
        return new Bulkheads(result);
    }

    /**
     * @param name instance name (a semaphore bulkhead wins over a thread-pool bulkhead of the same name)
     * @return that bulkhead alone, or {@code null} (404) when there is none
     */
    @ReadOperation
    public @Nullable Bulkheads bulkhead(@Selector String name) {
        BulkheadDescriptor descriptor = bulkheads.find(name).map(BulkheadDescriptor::of)
                .or(() -> threadPoolBulkheads.find(name).map(BulkheadDescriptor::of))
                .orElse(null);
        return descriptor == null ? null : new Bulkheads(Map.of(name, descriptor));
    }

    /**
     * The endpoint's answer.
     *
     * @param bulkheads bulkheads by name
     */
    public record Bulkheads(Map<String, BulkheadDescriptor> bulkheads) {
    }

    /**
     * One bulkhead.
     *
     * @param type SEMAPHORE or THREADPOOL
     * @param maxConcurrentCalls calls admitted at once (threads plus queue for THREADPOOL)
     * @param availableConcurrentCalls how many more would be admitted now
     */
    public record BulkheadDescriptor(String type, int maxConcurrentCalls, int availableConcurrentCalls) {

        static BulkheadDescriptor of(Bulkhead bulkhead) {
            BulkheadMetrics metrics = bulkhead.metrics();
            return new BulkheadDescriptor("SEMAPHORE", metrics.maxConcurrentCalls(), metrics.availableConcurrentCalls());
        }

        static BulkheadDescriptor of(ThreadPoolBulkhead bulkhead) {
            ThreadPoolBulkheadMetrics metrics = bulkhead.metrics();
            int max = metrics.maxThreadPoolSize() + metrics.queueCapacity();
            int busy = metrics.activeThreads() + metrics.queueDepth();
            return new BulkheadDescriptor("THREADPOOL", max, Math.max(0, max - busy));
        }
    }
}

package dev.resilience.spring.autoconfigure;

import java.time.Duration;

/**
 * Settings of one thread-pool bulkhead instance or shared config ({@code resilience.thread-pool-bulkhead.*}).
 * Each unset value comes from the base config, else {@code configs.default}, else the built-in default.
 */
public class ThreadPoolBulkheadProperties extends InstanceProperties {

    /** Threads kept in the pool, at least 1. Default: the number of available processors. */
    private Integer coreThreadPoolSize;

    /** Most threads in the pool, at least core-thread-pool-size. Default: the number of available processors. */
    private Integer maxThreadPoolSize;

    /** Calls that may wait for a thread, zero or more; beyond it calls are rejected. Default 100. */
    private Integer queueCapacity;

    /** How long a thread above the core size may stay idle before it ends, zero or positive. Default 20ms. */
    private Duration keepAliveDuration;

    /**
     * Whether the pool's threads are virtual threads (Java 21 or newer; true on an older Java fails start-up). The
     * bounds stay: at most max-thread-pool-size calls run at once and queue-capacity wait. Default false.
     */
    private Boolean virtualThreads;

    public Integer getCoreThreadPoolSize() {
        return coreThreadPoolSize;
    }

    public void setCoreThreadPoolSize(Integer coreThreadPoolSize) {
        this.coreThreadPoolSize = coreThreadPoolSize;
    }

    public Integer getMaxThreadPoolSize() {
        return maxThreadPoolSize;
    }

    public void setMaxThreadPoolSize(Integer maxThreadPoolSize) {
        this.maxThreadPoolSize = maxThreadPoolSize;
    }

    public Integer getQueueCapacity() {
        return queueCapacity;
    }

    public void setQueueCapacity(Integer queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public Duration getKeepAliveDuration() {
        return keepAliveDuration;
    }

    public void setKeepAliveDuration(Duration keepAliveDuration) {
        this.keepAliveDuration = keepAliveDuration;
    }

    public Boolean getVirtualThreads() {
        return virtualThreads;
    }

    public void setVirtualThreads(Boolean virtualThreads) {
        this.virtualThreads = virtualThreads;
    }
}

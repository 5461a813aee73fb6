package dev.resilience.bulkhead;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.internal.Validate;
import dev.resilience.core.internal.VirtualThreads;

import java.time.Duration;

/**
 * Settings of a {@link ThreadPoolBulkhead} (property prefix {@code resilience.thread-pool-bulkhead}).
 * Immutable and thread-safe; build one with {@link #builder()}, start from {@link #defaults()}, or change a
 * copy with {@link #toBuilder()}.
 *
 * <p>Pool sizes default to {@code Runtime.getRuntime().availableProcessors()} as read when the builder is
 * created. When {@code maxThreadPoolSize} is not set, it follows {@code coreThreadPoolSize} upwards (it is
 * the larger of the processor count and the core size), so setting only the core size never fails; an
 * explicit {@code maxThreadPoolSize} below {@code coreThreadPoolSize} fails {@link Builder#build()}.
 */
public final class ThreadPoolBulkheadConfig {

    private final int coreThreadPoolSize;
    private final int maxThreadPoolSize;
    private final int queueCapacity;
    private final Duration keepAliveDuration;
    private final boolean virtualThreads;

    private ThreadPoolBulkheadConfig(int core, int max, int queueCapacity, Duration keepAliveDuration,
                                     boolean virtualThreads) {
        this.coreThreadPoolSize = core;
        this.maxThreadPoolSize = max;
        this.queueCapacity = queueCapacity;
        this.keepAliveDuration = keepAliveDuration;
        this.virtualThreads = virtualThreads;
    }

    /** @return the default settings: core and max pool size = available processors, queue of 100, 20 ms keep-alive */
    public static ThreadPoolBulkheadConfig defaults() {
        return builder().build();
    }

    /** @return a builder holding the default settings */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this config's settings */
    public Builder toBuilder() {
        return new Builder().coreThreadPoolSize(coreThreadPoolSize).maxThreadPoolSize(maxThreadPoolSize)
                .queueCapacity(queueCapacity).keepAliveDuration(keepAliveDuration).virtualThreads(virtualThreads);
    }

    /** @return threads kept in the pool even when idle (at least 1; default: available processors) */
    public int coreThreadPoolSize() {
        return coreThreadPoolSize;
    }

    /**
     * @return most threads the pool grows to, once the queue is full (at least {@link #coreThreadPoolSize()};
     *     default: the larger of available processors and the core size)
     */
    public int maxThreadPoolSize() {
        return maxThreadPoolSize;
    }

    /** @return calls that may wait in the queue for a thread (zero or more; default 100) */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** @return how long a thread above the core size stays idle before it ends (zero or positive; default 20 ms) */
    public Duration keepAliveDuration() {
        return keepAliveDuration;
    }

    /**
     * @return whether the pool's threads are virtual threads (default false). The bulkhead's bounds stay what they
     *     are: at most {@link #maxThreadPoolSize()} calls run at once and {@link #queueCapacity()} wait; a call
     *     blocked in I/O on a virtual thread frees its carrier thread, so a large pool costs little.
     */
    public boolean virtualThreads() {
        return virtualThreads;
    }

    @Override
    public String toString() {
        return "ThreadPoolBulkheadConfig[coreThreadPoolSize=" + coreThreadPoolSize + ", maxThreadPoolSize=" + maxThreadPoolSize
                + ", queueCapacity=" + queueCapacity + ", keepAliveDuration=" + keepAliveDuration
                + ", virtualThreads=" + virtualThreads + "]";
    }

    /** Builds a {@link ThreadPoolBulkheadConfig}; each setter validates its value at once. Not thread-safe. */
    public static final class Builder {
        private final int processors = Runtime.getRuntime().availableProcessors();
        private int coreThreadPoolSize = processors;
        private Integer maxThreadPoolSize;
        private int queueCapacity = 100;
        private Duration keepAliveDuration = Duration.ofMillis(20);
        private boolean virtualThreads;

        private Builder() {
        }

        /**
         * @param coreThreadPoolSize threads kept even when idle; at least 1 (default: available processors)
         * @return this builder
         * @throws InvalidConfigException if below 1
         */
        public Builder coreThreadPoolSize(int coreThreadPoolSize) {
            this.coreThreadPoolSize = Validate.atLeast("coreThreadPoolSize", coreThreadPoolSize, 1);
            return this;
        }

        /**
         * @param maxThreadPoolSize most threads; at least 1 here, and at least {@code coreThreadPoolSize}
         *     when built (default: the larger of available processors and the core size)
         * @return this builder
         * @throws InvalidConfigException if below 1
         */
        public Builder maxThreadPoolSize(int maxThreadPoolSize) {
            this.maxThreadPoolSize = Validate.atLeast("maxThreadPoolSize", maxThreadPoolSize, 1);
            return this;
        }

        /**
         * @param queueCapacity calls that may wait for a thread; zero or more (default 100; 0 = no queue, a call
         *     needs a free thread)
         * @return this builder
         * @throws InvalidConfigException if negative
         */
        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = Validate.atLeast("queueCapacity", queueCapacity, 0);
            return this;
        }

        /**
         * @param keepAliveDuration idle time after which a thread above the core size ends; zero or positive
         *     (default 20 ms)
         * @return this builder
         * @throws InvalidConfigException if null or negative
         */
        public Builder keepAliveDuration(Duration keepAliveDuration) {
            this.keepAliveDuration = Validate.notNegative("keepAliveDuration", keepAliveDuration);
            return this;
        }

        /**
         * @param virtualThreads whether the pool's threads are virtual threads (default false); the pool sizes and the
         *     queue still bound the calls running and waiting
         * @return this builder
         * @throws InvalidConfigException if true on a JVM without virtual threads (before Java 21)
         */
        public Builder virtualThreads(boolean virtualThreads) {
            if (virtualThreads && !VirtualThreads.available()) {
                throw new InvalidConfigException("virtualThreads", true,
                        "false on Java " + Runtime.version().feature() + " (virtual threads need Java 21 or newer)");
            }
            this.virtualThreads = virtualThreads;
            return this;
        }

        /**
         * @return the config
         * @throws InvalidConfigException naming {@code maxThreadPoolSize} and {@code coreThreadPoolSize} if an
         *     explicitly set maximum is below the core size
         */
        public ThreadPoolBulkheadConfig build() {
            int max = maxThreadPoolSize == null ? Math.max(processors, coreThreadPoolSize) : maxThreadPoolSize;
            if (max < coreThreadPoolSize) {
                throw new InvalidConfigException("maxThreadPoolSize", max, "at least", "coreThreadPoolSize", coreThreadPoolSize);
            }
            return new ThreadPoolBulkheadConfig(coreThreadPoolSize, max, queueCapacity, keepAliveDuration, virtualThreads);
        }
    }
}

package dev.resilience.spring.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything under {@code resilience.}: the instances of each policy kind and their shared configs,
 * the order in which annotations on one method compose, shutdown and web behaviour.
 */
@ConfigurationProperties("resilience")
public class ResilienceProperties {

    /** The default composition order, outermost first. */
    public static final List<String> DEFAULT_ORDER = List.of("retry", "circuitbreaker", "ratelimiter", "timeout", "bulkhead");

    /** Circuit breakers: {@code configs.<name>.*} and {@code instances.<name>.*}. */
    private KindProperties<CircuitBreakerProperties> circuitbreaker = new KindProperties<>();

    /** Retries: {@code configs.<name>.*} and {@code instances.<name>.*}. */
    private KindProperties<RetryProperties> retry = new KindProperties<>();

    /** Semaphore bulkheads: {@code configs.<name>.*} and {@code instances.<name>.*}. */
    private KindProperties<BulkheadProperties> bulkhead = new KindProperties<>();

    /** Thread-pool bulkheads: {@code configs.<name>.*} and {@code instances.<name>.*}. */
    private KindProperties<ThreadPoolBulkheadProperties> threadPoolBulkhead = new KindProperties<>();

    /** Rate limiters: {@code configs.<name>.*} and {@code instances.<name>.*}. */
    private KindProperties<RateLimiterProperties> ratelimiter = new KindProperties<>();

    /** Timeouts: {@code configs.<name>.*} and {@code instances.<name>.*}. */
    private KindProperties<TimeoutProperties> timeout = new KindProperties<>();

    /**
     * Order in which the annotations on one method apply, outermost first: a permutation of retry,
     * circuitbreaker, ratelimiter, timeout and bulkhead (which covers both bulkhead types).
     */
    private List<String> order = new ArrayList<>(DEFAULT_ORDER);

    /** Graceful shutdown of annotated methods. */
    private final Shutdown shutdown = new Shutdown();

    /** Mapping of rejections to HTTP responses in web applications. */
    private final Web web = new Web();

    /** Recent events kept for the {@code resilienceevents} actuator endpoint. */
    private final Events events = new Events();

    public KindProperties<CircuitBreakerProperties> getCircuitbreaker() {
        return circuitbreaker;
    }

    public void setCircuitbreaker(KindProperties<CircuitBreakerProperties> circuitbreaker) {
        this.circuitbreaker = circuitbreaker;
    }

    public KindProperties<RetryProperties> getRetry() {
        return retry;
    }

    public void setRetry(KindProperties<RetryProperties> retry) {
        this.retry = retry;
    }

    public KindProperties<BulkheadProperties> getBulkhead() {
        return bulkhead;
    }

    public void setBulkhead(KindProperties<BulkheadProperties> bulkhead) {
        this.bulkhead = bulkhead;
    }

    public KindProperties<ThreadPoolBulkheadProperties> getThreadPoolBulkhead() {
        return threadPoolBulkhead;
    }

    public void setThreadPoolBulkhead(KindProperties<ThreadPoolBulkheadProperties> threadPoolBulkhead) {
        this.threadPoolBulkhead = threadPoolBulkhead;
    }

    public KindProperties<RateLimiterProperties> getRatelimiter() {
        return ratelimiter;
    }

    public void setRatelimiter(KindProperties<RateLimiterProperties> ratelimiter) {
        this.ratelimiter = ratelimiter;
    }

    public KindProperties<TimeoutProperties> getTimeout() {
        return timeout;
    }

    public void setTimeout(KindProperties<TimeoutProperties> timeout) {
        this.timeout = timeout;
    }

    public List<String> getOrder() {
        return order;
    }

    public void setOrder(List<String> order) {
        this.order = order;
    }

    public Shutdown getShutdown() {
        return shutdown;
    }

    public Web getWeb() {
        return web;
    }

    public Events getEvents() {
        return events;
    }

    /** Settings of the recent-events buffer behind the {@code resilienceevents} endpoint. */
    public static class Events {

        /** Most recent events kept per policy instance, at least 1; older ones are dropped. */
        private int bufferSize = 100;

        public int getBufferSize() {
            return bufferSize;
        }

        public void setBufferSize(int bufferSize) {
            this.bufferSize = bufferSize;
        }
    }

    /** Graceful shutdown settings. */
    public static class Shutdown {

        /** Longest time to wait for in-flight annotated calls when the application stops. */
        private Duration timeout = Duration.ofSeconds(30);

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /** Web settings. */
    public static class Web {

        /** Problem-details responses for rejections. */
        private final ProblemDetails problemDetails = new ProblemDetails();

        public ProblemDetails getProblemDetails() {
            return problemDetails;
        }

        /** Problem-details settings. */
        public static class ProblemDetails {

            /** Whether rejections that reach a controller become RFC 9457 problem responses (503, 429, 504). */
            private boolean enabled = true;

            public boolean isEnabled() {
                return enabled;
            }

            public void setEnabled(boolean enabled) {
                this.enabled = enabled;
            }
        }
    }
}

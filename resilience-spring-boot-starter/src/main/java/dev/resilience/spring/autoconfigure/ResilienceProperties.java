package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.redis.RedisRateLimiterProperties;
import dev.resilience.spring.redis.RedisRetryBudgetProperties;

import dev.resilience.spring.ResilienceConfigurationException;
import dev.resilience.spring.actuate.MeterNaming;
import dev.resilience.spring.aspectj.AopMode;

import org.springframework.beans.factory.InitializingBean;
import dev.resilience.spring.dashboard.DashboardProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything under {@code resilience.}: the instances of each policy kind and their shared configs,
 * the order in which annotations on one method compose, shutdown and web behaviour.
 */
@ConfigurationProperties(prefix = "resilience", ignoreUnknownFields = false)
public class ResilienceProperties implements InitializingBean {

    /** The default composition order, outermost first. */
    public static final List<String> DEFAULT_ORDER = List.of("retry", "circuitbreaker", "ratelimiter", "timeout", "bulkhead");

    /** Circuit breakers: {@code configs.<name>.*} and {@code instances.<name>.*}. */
    @NestedConfigurationProperty
    private CircuitBreakerKind circuitbreaker = new CircuitBreakerKind();

    /** Retries: {@code configs.<name>.*} and {@code instances.<name>.*}. */
    @NestedConfigurationProperty
    private RetryKind retry = new RetryKind();

    /** Semaphore bulkheads: {@code configs.<name>.*} and {@code instances.<name>.*}. */
    @NestedConfigurationProperty
    private BulkheadKind bulkhead = new BulkheadKind();

    /** Thread-pool bulkheads: {@code configs.<name>.*} and {@code instances.<name>.*}. */
    @NestedConfigurationProperty
    private ThreadPoolBulkheadKind threadPoolBulkhead = new ThreadPoolBulkheadKind();

    /** Rate limiters: {@code configs.<name>.*} and {@code instances.<name>.*}. */
    @NestedConfigurationProperty
    private RateLimiterKind ratelimiter = new RateLimiterKind();

    /** Timeouts: {@code configs.<name>.*} and {@code instances.<name>.*}. */
    @NestedConfigurationProperty
    private TimeoutKind timeout = new TimeoutKind();

    /**
     * Order in which the annotations on one method apply, outermost first: a permutation of retry,
     * circuitbreaker, ratelimiter, timeout and bulkhead (which covers both bulkhead types).
     */
    private List<String> order = new ArrayList<>(DEFAULT_ORDER);

    /** Graceful shutdown of annotated methods. */
    private final Shutdown shutdown = new Shutdown();

    /** How annotated methods are intercepted. */
    private final Aop aop = new Aop();

    /** Mapping of rejections to HTTP responses in web applications. */
    private final Web web = new Web();

    /** Recent events kept for the {@code resilienceevents} actuator endpoint, and events as Spring application events. */
    private final Events events = new Events();

    /** Micrometer meters of every policy instance. */
    private final Metrics metrics = new Metrics();

    /** Deadlines sent to and accepted from other services in an HTTP header. */
    private final Deadlines deadline = new Deadlines();

    /** Help for applications switching over from Resilience4j. */
    private final Migration migration = new Migration();

    /** The live page of every instance (read by {@code dev.resilience.spring.dashboard}). */
    @NestedConfigurationProperty
    private final DashboardProperties dashboard = new DashboardProperties();

    /**
     * Checks the top-level settings as soon as they are bound, whichever optional feature reads them later (the
     * events buffer exists only with its endpoint, but a bad size is a mistake either way).
     */
    @Override
    public void afterPropertiesSet() {
        if (events.getBufferSize() < 1) {
            throw ResilienceConfigurationException.invalidProperty("resilience.events.buffer-size", events.getBufferSize(),
                    "at least 1");
        }
    }

    public CircuitBreakerKind getCircuitbreaker() {
        return circuitbreaker;
    }

    public void setCircuitbreaker(CircuitBreakerKind circuitbreaker) {
        this.circuitbreaker = circuitbreaker;
    }

    public RetryKind getRetry() {
        return retry;
    }

    public void setRetry(RetryKind retry) {
        this.retry = retry;
    }

    public BulkheadKind getBulkhead() {
        return bulkhead;
    }

    public void setBulkhead(BulkheadKind bulkhead) {
        this.bulkhead = bulkhead;
    }

    public ThreadPoolBulkheadKind getThreadPoolBulkhead() {
        return threadPoolBulkhead;
    }

    public void setThreadPoolBulkhead(ThreadPoolBulkheadKind threadPoolBulkhead) {
        this.threadPoolBulkhead = threadPoolBulkhead;
    }

    public RateLimiterKind getRatelimiter() {
        return ratelimiter;
    }

    public void setRatelimiter(RateLimiterKind ratelimiter) {
        this.ratelimiter = ratelimiter;
    }

    public TimeoutKind getTimeout() {
        return timeout;
    }

    public void setTimeout(TimeoutKind timeout) {
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

    public Metrics getMetrics() {
        return metrics;
    }

    public Aop getAop() {
        return aop;
    }

    /** How annotated methods are intercepted. */
    public static class Aop {

        /**
         * Interception of annotated methods: 'proxy' for Spring proxies around the beans (calls from another method
         * of the same bean are not protected), 'aspectj' for the starter's AspectJ aspect, which protects every
         * execution of an annotated method, self-invocations and objects Spring does not manage included, and needs
         * AspectJ weaving (the weaver agent and a META-INF/aop.xml naming the aspect, or compile-time weaving).
         */
        private AopMode mode = AopMode.PROXY;

        public AopMode getMode() {
            return mode;
        }

        public void setMode(AopMode mode) {
            this.mode = mode;
        }
    }

    /** Settings of the Micrometer meters. */
    public static class Metrics {

        /**
         * Meter names and tags to register: 'resilience' for ours ({@code resilience.<kind>.*}), 'resilience4j' for
         * Resilience4j 2.x's ({@code resilience4j.<kind>.*} with its tags), so that dashboards and alerts written for
         * Resilience4j keep working.
         */
        private MeterNaming naming = MeterNaming.RESILIENCE;

        public MeterNaming getNaming() {
            return naming;
        }

        public void setNaming(MeterNaming naming) {
            this.naming = naming;
        }
    }

    /** Settings of the recent-events buffer behind the {@code resilienceevents} endpoint, and of application events. */
    public static class Events {

        /** Most recent events kept per policy instance, at least 1; older ones are dropped. */
        private int bufferSize = 100;

        /**
         * Whether every circuit breaker state transition is also published as a Spring application event
         * ({@code CircuitBreakerStateTransitionEvent}), for {@code @EventListener} methods.
         */
        private boolean publishApplicationEvents = false;

        public boolean isPublishApplicationEvents() {
            return publishApplicationEvents;
        }

        public void setPublishApplicationEvents(boolean publishApplicationEvents) {
            this.publishApplicationEvents = publishApplicationEvents;
        }

        public int getBufferSize() {
            return bufferSize;
        }

        public void setBufferSize(int bufferSize) {
            this.bufferSize = bufferSize;
        }
    }

    public Deadlines getDeadline() {
        return deadline;
    }

    public Migration getMigration() {
        return migration;
    }

    public DashboardProperties getDashboard() {
        return dashboard;
    }

    /**
     * Settings for a switch over from Resilience4j. The {@code resilience4j.*} properties are read at start-up, before
     * any of these are bound (see {@code dev.resilience.spring.migration.Resilience4jPropertiesPostProcessor}); they
     * are declared here so that they are documented and checked like every other {@code resilience.*} property.
     */
    public static class Migration {

        /**
         * Whether resilience4j.* properties that have a one-to-one equivalent are read as the resilience.* properties
         * they are renamed to, so that an application can switch the dependency first and rename its properties later:
         * the configs and instances (with base-config) of circuitbreaker, retry, bulkhead, thread-pool-bulkhead,
         * ratelimiter and timelimiter (read as timeout), with enable-exponential-backoff and enable-randomized-wait
         * folded into the multiplier and factor they switch on. A resilience.* property set anywhere wins over the one
         * translated to it. Keys without an equivalent are not read; the start-up warning lists every resilience4j.*
         * key with its new name or the reason it has none, whether or not this is set. Default false.
         */
        private boolean readResilience4jProperties;

        public boolean isReadResilience4jProperties() {
            return readResilience4jProperties;
        }

        public void setReadResilience4jProperties(boolean readResilience4jProperties) {
            this.readResilience4jProperties = readResilience4jProperties;
        }
    }

    /** Deadline propagation settings. */
    public static class Deadlines {

        /** Default name of the header carrying the milliseconds a call has left. */
        public static final String DEFAULT_HEADER_NAME = "Resilience-Deadline-Remaining-Ms";

        /**
         * Whether RestClient requests send the remaining time of the current deadline in a header, and incoming
         * servlet requests carrying that header run with it as their deadline.
         */
        private boolean enabled = true;

        /** Name of the header carrying the time a call has left, in whole milliseconds. */
        private String headerName = DEFAULT_HEADER_NAME;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getHeaderName() {
            return headerName;
        }

        public void setHeaderName(String headerName) {
            this.headerName = headerName;
        }
    }

    /** Graceful shutdown settings. */
    public static class Shutdown {

        /**
         * Longest time to wait for in-flight annotated calls when the application stops. Must be less than
         * spring.lifecycle.timeout-per-shutdown-phase (30s by default), which bounds the shutdown phase it runs in.
         */
        private Duration timeout = Duration.ofSeconds(25);

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

    /** Shared configs and instances of CircuitBreaker settings. */
    public static class CircuitBreakerKind extends KindProperties<CircuitBreakerProperties> {
    }

    /** Shared configs and instances of Retry settings. */
    public static class RetryKind extends KindProperties<RetryProperties> {

        /** The Redis store of the retry budget groups whose budget.store is 'redis'. */
        @NestedConfigurationProperty
        private RedisRetryBudgetProperties redis = new RedisRetryBudgetProperties();

        public RedisRetryBudgetProperties getRedis() {
            return redis;
        }

        public void setRedis(RedisRetryBudgetProperties redis) {
            this.redis = redis;
        }
    }

    /** Shared configs and instances of Bulkhead settings. */
    public static class BulkheadKind extends KindProperties<BulkheadProperties> {
    }

    /** Shared configs and instances of ThreadPoolBulkhead settings. */
    public static class ThreadPoolBulkheadKind extends KindProperties<ThreadPoolBulkheadProperties> {
    }

    /** Shared configs and instances of RateLimiter settings. */
    public static class RateLimiterKind extends KindProperties<RateLimiterProperties> {

        /** The Redis store of the rate limiters whose store is 'redis' (the connection is spring.data.redis.*). */
        @NestedConfigurationProperty
        private RedisRateLimiterProperties redis = new RedisRateLimiterProperties();

        public RedisRateLimiterProperties getRedis() {
            return redis;
        }

        public void setRedis(RedisRateLimiterProperties redis) {
            this.redis = redis;
        }
    }

    /** Shared configs and instances of Timeout settings. */
    public static class TimeoutKind extends KindProperties<TimeoutProperties> {
    }
}

package dev.resilience.spring.actuate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.ClassUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Coexistence with Resilience4j's Spring Boot starter, which an application moving over may still have: it registers
 * actuator endpoints with the ids of four of ours ({@code circuitbreakers}, {@code retries}, {@code bulkheads},
 * {@code ratelimiters}), and Spring Boot refuses two endpoints with one id. Each of ours backs off where Resilience4j's
 * endpoint of that id exists (the auto-configuration runs after Resilience4j's and names these classes); ours
 * without a counterpart ({@code resilienceevents}) and the metrics stay. Once the application has started,
 * this bean logs one line naming the endpoints that backed off.
 *
 * <p>Recognised: {@code resilience4j-spring-boot4} and {@code resilience4j-spring-boot3}.
 */
public final class Resilience4jEndpoints implements SmartInitializingSingleton {

    /** Resilience4j's {@code circuitbreakers} endpoint (Boot 4 starter). */
    public static final String CIRCUIT_BREAKERS = "io.github.resilience4j.springboot.circuitbreaker.monitoring.endpoint.CircuitBreakerEndpoint";
    /** Resilience4j's {@code circuitbreakers} endpoint (Boot 3 starter). */
    public static final String CIRCUIT_BREAKERS_BOOT3 = "io.github.resilience4j.springboot3.circuitbreaker.monitoring.endpoint.CircuitBreakerEndpoint";
    /** Resilience4j's {@code retries} endpoint (Boot 4 starter). */
    public static final String RETRIES = "io.github.resilience4j.springboot.retry.monitoring.endpoint.RetryEndpoint";
    /** Resilience4j's {@code retries} endpoint (Boot 3 starter). */
    public static final String RETRIES_BOOT3 = "io.github.resilience4j.springboot3.retry.monitoring.endpoint.RetryEndpoint";
    /** Resilience4j's {@code bulkheads} endpoint (Boot 4 starter). */
    public static final String BULKHEADS = "io.github.resilience4j.springboot.bulkhead.monitoring.endpoint.BulkheadEndpoint";
    /** Resilience4j's {@code bulkheads} endpoint (Boot 3 starter). */
    public static final String BULKHEADS_BOOT3 = "io.github.resilience4j.springboot3.bulkhead.monitoring.endpoint.BulkheadEndpoint";
    /** Resilience4j's {@code ratelimiters} endpoint (Boot 4 starter). */
    public static final String RATE_LIMITERS = "io.github.resilience4j.springboot.ratelimiter.monitoring.endpoint.RateLimiterEndpoint";
    /** Resilience4j's {@code ratelimiters} endpoint (Boot 3 starter). */
    public static final String RATE_LIMITERS_BOOT3 = "io.github.resilience4j.springboot3.ratelimiter.monitoring.endpoint.RateLimiterEndpoint";

    /** The auto-configurations registering those endpoints, which ours must run after. */
    public static final String CIRCUIT_BREAKER_AUTO_CONFIGURATION = "io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration";
    /** See {@link #CIRCUIT_BREAKER_AUTO_CONFIGURATION}. */
    public static final String RETRY_AUTO_CONFIGURATION = "io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration";
    /** See {@link #CIRCUIT_BREAKER_AUTO_CONFIGURATION}. */
    public static final String BULKHEAD_AUTO_CONFIGURATION = "io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration";
    /** See {@link #CIRCUIT_BREAKER_AUTO_CONFIGURATION}. */
    public static final String RATE_LIMITER_AUTO_CONFIGURATION = "io.github.resilience4j.springboot.ratelimiter.autoconfigure.RateLimiterAutoConfiguration";
    /** See {@link #CIRCUIT_BREAKER_AUTO_CONFIGURATION}. */
    public static final String CIRCUIT_BREAKER_AUTO_CONFIGURATION_BOOT3 = "io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration";
    /** See {@link #CIRCUIT_BREAKER_AUTO_CONFIGURATION}. */
    public static final String RETRY_AUTO_CONFIGURATION_BOOT3 = "io.github.resilience4j.springboot3.retry.autoconfigure.RetryAutoConfiguration";
    /** See {@link #CIRCUIT_BREAKER_AUTO_CONFIGURATION}. */
    public static final String BULKHEAD_AUTO_CONFIGURATION_BOOT3 = "io.github.resilience4j.springboot3.bulkhead.autoconfigure.BulkheadAutoConfiguration";
    /** See {@link #CIRCUIT_BREAKER_AUTO_CONFIGURATION}. */
    public static final String RATE_LIMITER_AUTO_CONFIGURATION_BOOT3 = "io.github.resilience4j.springboot3.ratelimiter.autoconfigure.RateLimiterAutoConfiguration";

    private static final Log logger = LogFactory.getLog(Resilience4jEndpoints.class);

    private static final Map<String, List<String>> BY_ID = new LinkedHashMap<>();

    static {
        BY_ID.put("circuitbreakers", List.of(CIRCUIT_BREAKERS, CIRCUIT_BREAKERS_BOOT3));
        BY_ID.put("retries", List.of(RETRIES, RETRIES_BOOT3));
        BY_ID.put("bulkheads", List.of(BULKHEADS, BULKHEADS_BOOT3));
        BY_ID.put("ratelimiters", List.of(RATE_LIMITERS, RATE_LIMITERS_BOOT3));
    }

    private final ListableBeanFactory beans;

    /** @param beans where Resilience4j's endpoints would be */
    public Resilience4jEndpoints(ListableBeanFactory beans) {
        this.beans = beans;
    }

    /** @return the ids of ours that backed off for Resilience4j's endpoint of the same id, in a fixed order */
    public List<String> backedOff() {
        ClassLoader classLoader = Resilience4jEndpoints.class.getClassLoader();
        List<String> ids = new ArrayList<>();
        BY_ID.forEach((id, classNames) -> {
            for (String className : classNames) {
                if (ClassUtils.isPresent(className, classLoader)
                        && beans.getBeanNamesForType(ClassUtils.resolveClassName(className, classLoader), true, false).length > 0) {
                    ids.add(id);
                    return;
                }
            }
        });
        return ids;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<String> ids = backedOff();
        if (!ids.isEmpty()) {
            logger.info("Resilience4j's Spring Boot starter registers the actuator endpoints " + String.join(", ", ids)
                    + ", whose ids ours share and Spring Boot allows once: ours backed off (Resilience4j's answer there, about its "
                    + "own instances). Ours stay visible in /actuator/resilienceevents and the metrics; remove Resilience4j's "
                    + "starter to get our endpoints back.");
        }
    }
}

package dev.resilience.spring.actuate;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.core.Registry;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The {@code circuitBreakers} health contributor: every breaker's state in the details, and a status that tells
 * an open breaker apart from a broken application. An OPEN or FORCED_OPEN breaker reports {@link #CIRCUIT_OPEN},
 * a HALF_OPEN one {@link #CIRCUIT_HALF_OPEN}: Spring Boot maps unknown statuses to HTTP 200 and leaves them out
 * of the aggregate, so a failing downstream does not get a healthy pod restarted. A breaker whose
 * {@code allow-health-indicator-to-fail} is true reports DOWN while OPEN or FORCED_OPEN.
 *
 * <p>Precedence when breakers disagree: DOWN, then CIRCUIT_OPEN, then CIRCUIT_HALF_OPEN, then UP.
 */
public class CircuitBreakersHealthIndicator extends AbstractHealthIndicator {

    /** Some breaker is OPEN or FORCED_OPEN: calls to its downstream are being refused. */
    public static final Status CIRCUIT_OPEN = new Status("CIRCUIT_OPEN");

    /** Some breaker is HALF_OPEN: trial calls are finding out whether its downstream has recovered. */
    public static final Status CIRCUIT_HALF_OPEN = new Status("CIRCUIT_HALF_OPEN");

    private final Registry<CircuitBreaker, CircuitBreakerConfig> registry;
    private final Predicate<String> allowedToFail;

    /**
     * @param registry the breakers to report
     * @param allowedToFail whether the named breaker, when open, reports DOWN
     */
    public CircuitBreakersHealthIndicator(Registry<CircuitBreaker, CircuitBreakerConfig> registry,
                                          Predicate<String> allowedToFail) {
        super("Circuit breakers health check failed");
        this.registry = registry;
        this.allowedToFail = allowedToFail;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        int worst = 0;
        Map<String, Object> details = new LinkedHashMap<>();
        for (CircuitBreaker breaker : registry.all()) {
            CircuitBreakerMetrics metrics = breaker.metrics();
            details.put(breaker.name(), describe(metrics));
            worst = Math.max(worst, severity(breaker.name(), metrics.state()));
        }
        builder.status(switch (worst) {
            case 3 -> Status.DOWN;
            case 2 -> CIRCUIT_OPEN;
            case 1 -> CIRCUIT_HALF_OPEN;
            default -> Status.UP;
        }).withDetails(details);
    }

    private int severity(String name, CircuitBreaker.State state) {
        return switch (state) {
            case OPEN, FORCED_OPEN -> allowedToFail.test(name) ? 3 : 2;
            case HALF_OPEN -> 1;
            case CLOSED, DISABLED -> 0;
        };
    }

    private static Map<String, Object> describe(CircuitBreakerMetrics metrics) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("state", metrics.state().name());
        described.put("failureRate", metrics.failureRate());
        described.put("slowCallRate", metrics.slowCallRate());
        described.put("bufferedCalls", metrics.bufferedCalls());
        described.put("failedCalls", metrics.failedCalls());
        described.put("notPermittedCalls", metrics.notPermittedCalls());
        return described;
    }
}

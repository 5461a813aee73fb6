package dev.resilience.spring.actuate;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.core.Registry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code circuitbreakers} actuator endpoint: the state and window of every circuit breaker, or of one, and
 * (once write access is granted with {@code management.endpoint.circuitbreakers.access=unrestricted}) manual
 * transitions and resets, and changes of a breaker's settings at run time, in place (it keeps its state and window; a
 * {@code DELETE} drops such changes). An unknown name is never created: it answers 404.
 */
@Endpoint(id = "circuitbreakers", defaultAccess = Access.READ_ONLY)
public class CircuitBreakersEndpoint {

    private static final Log LOG = LogFactory.getLog(CircuitBreakersEndpoint.class);

    private static final java.util.List<String> SETTINGS = java.util.List.of("slidingWindowType", "slidingWindowSize",
            "minimumNumberOfCalls", "failureRateThreshold", "slowCallRateThreshold", "slowCallDurationThreshold",
            "waitDurationInOpenState", "permittedNumberOfCallsInHalfOpenState", "maxWaitDurationInHalfOpenState",
            "automaticTransitionFromOpenToHalfOpenEnabled");

    private final Registry<CircuitBreaker, CircuitBreakerConfig> registry;
    private final @Nullable SettingsChanges changes;

    /**
     * @param registry the circuit breakers to show and steer
     */
    public CircuitBreakersEndpoint(Registry<CircuitBreaker, CircuitBreakerConfig> registry) {
        this(registry, null);
    }

    /**
     * @param registry the circuit breakers to show and steer
     * @param changes where settings changes go, or null: none can be made
     */
    public CircuitBreakersEndpoint(Registry<CircuitBreaker, CircuitBreakerConfig> registry, @Nullable SettingsChanges changes) {
        this.registry = registry;
        this.changes = changes;
    }

    /** @return every circuit breaker, sorted by name */
    @ReadOperation
    public CircuitBreakers circuitBreakers() {
        Map<String, CircuitBreakerDescriptor> result = new LinkedHashMap<>();
        registry.all().forEach(breaker -> result.put(breaker.name(), CircuitBreakerDescriptor.of(breaker)));
        return new CircuitBreakers(result);
    }

    /**
     * @param name instance name
     * @return that breaker alone, or {@code null} (404) when there is none
     */
    @ReadOperation
    public @Nullable CircuitBreakers circuitBreaker(@Selector String name) {
        return registry.find(name)
                .map(breaker -> new CircuitBreakers(Map.of(breaker.name(), CircuitBreakerDescriptor.of(breaker))))
                .orElse(null);
    }

    /**
     * Moves a breaker to a state, resets it, or changes its settings: a body holds either {@code state}, or
     * {@code "reset": true}, or settings (one or more of {@link #SETTINGS}, values as text as in properties:
     * {@code {"failureRateThreshold": 30, "waitDurationInOpenState": "10s"}}). Logged at INFO with the previous and the
     * new state or settings. A settings change is validated as at start-up (all or nothing, 400 with the start-up
     * message naming the full property), keeps the breaker's state and window (see
     * {@link CircuitBreaker#reconfigure}), is published as CONFIG_CHANGED, and is kept until the {@code DELETE}
     * operation or a restart, also across refreshes of the application's properties.
     *
     * @param name instance name
     * @param state the target state: CLOSED, OPEN, HALF_OPEN, FORCED_OPEN or DISABLED
     * @param reset {@code true} to reset the breaker (CLOSED, empty window, metrics cleared). Taken as text and read
     *     strictly: only {@code true} and {@code false} are booleans here, where a {@code Boolean} parameter would
     *     also take {@code "yes"}, {@code "on"} or {@code 1} for true (the web layer hands every body value over as
     *     text, so the JSON string {@code "true"} cannot be told from the boolean)
     * @return the breaker after the change, 404 for an unknown name
     * @throws InvalidEndpointRequestException (400) for an unknown state, a reset that is not a JSON boolean, or when
     *     not exactly one of state and {@code "reset": true} is given
     */
    @WriteOperation
    public WebEndpointResponse<Object> change(@Selector String name, @Nullable String state, @Nullable String reset,
                                         @Nullable String slidingWindowType, @Nullable String slidingWindowSize,
                                         @Nullable String minimumNumberOfCalls, @Nullable String failureRateThreshold,
                                         @Nullable String slowCallRateThreshold, @Nullable String slowCallDurationThreshold,
                                         @Nullable String waitDurationInOpenState,
                                         @Nullable String permittedNumberOfCallsInHalfOpenState,
                                         @Nullable String maxWaitDurationInHalfOpenState,
                                         @Nullable String automaticTransitionFromOpenToHalfOpenEnabled) {
        return SettingsWrites.answering(() -> {
            Map<String, String> settings = SettingsWrites.given("slidingWindowType", slidingWindowType, "slidingWindowSize",
                    slidingWindowSize, "minimumNumberOfCalls", minimumNumberOfCalls, "failureRateThreshold",
                    failureRateThreshold, "slowCallRateThreshold", slowCallRateThreshold, "slowCallDurationThreshold",
                    slowCallDurationThreshold, "waitDurationInOpenState", waitDurationInOpenState,
                    "permittedNumberOfCallsInHalfOpenState", permittedNumberOfCallsInHalfOpenState,
                    "maxWaitDurationInHalfOpenState", maxWaitDurationInHalfOpenState,
                    "automaticTransitionFromOpenToHalfOpenEnabled", automaticTransitionFromOpenToHalfOpenEnabled);
            if (!settings.isEmpty()) {
                if (state != null || reset != null) {
                    throw new InvalidEndpointRequestException("Expected either 'state', 'reset' or settings, not several",
                            "Send the state change, the reset and the settings in separate requests. Nothing was changed.");
                }
                return SettingsWrites.change(changes, "circuitbreaker", name, registry.find(name).isPresent(), settings,
                        () -> registry.find(name).orElseThrow().config());
            }
            return transitionOrReset(name, state, reset);
        });
    }

    /**
     * Drops the settings changed through {@link #change}: the breaker goes back to its properties, in place.
     *
     * @param name instance name
     * @return what changed, 404 for an unknown name
     */
    @DeleteOperation
    public WebEndpointResponse<Object> restore(@Selector String name) {
        return SettingsWrites.restore(changes, "circuitbreaker", name, registry.find(name).isPresent(),
                () -> registry.find(name).orElseThrow().config());
    }

    private WebEndpointResponse<CircuitBreakers> transitionOrReset(String name, @Nullable String state, @Nullable String reset) {
        Boolean resetRequested = reset == null ? null : parseBoolean(reset);
        Optional<CircuitBreaker> found = registry.find(name);
        if (found.isEmpty()) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        CircuitBreaker breaker = found.get();
        CircuitBreaker.State previous = breaker.state();
        if (Boolean.TRUE.equals(resetRequested) && state == null) {
            breaker.reset();
            LOG.info("Circuit breaker '" + name + "' reset through the actuator: " + previous + " -> " + breaker.state());
        } else if (state != null && reset == null) {
            CircuitBreaker.State target = parse(state);
            transition(breaker, target);
            LOG.info("Circuit breaker '" + name + "' moved through the actuator: " + previous + " -> " + breaker.state());
        } else {
            throw new InvalidEndpointRequestException("Expected a body of either {\"state\": <state>}, {\"reset\": true}"
                    + " or settings, one or more of " + SETTINGS, "Send one of them. Nothing was changed.");
        }
        return new WebEndpointResponse<>(new CircuitBreakers(Map.of(name, CircuitBreakerDescriptor.of(breaker))));
    }

    private static Boolean parseBoolean(String reset) {
        return switch (reset) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> {
                String shown = reset.length() <= 20 ? reset : reset.substring(0, 20) + "...";
                throw new InvalidEndpointRequestException("Invalid value '" + shown + "' for 'reset': expected true or false",
                        "Send {\"reset\": true}. Nothing was changed.");
            }
        };
    }

    private static CircuitBreaker.State parse(String state) {
        for (CircuitBreaker.State candidate : CircuitBreaker.State.values()) {
            if (candidate.name().equalsIgnoreCase(state.trim())) {
                return candidate;
            }
        }
        throw new InvalidEndpointRequestException("Unknown circuit breaker state '" + state + "'; expected one of "
                + Arrays.toString(CircuitBreaker.State.values()), "Send one of those states. Nothing was changed.");
    }

    private static void transition(CircuitBreaker breaker, CircuitBreaker.State target) {
        switch (target) {
            case CLOSED -> breaker.transitionToClosedState();
            case OPEN -> breaker.transitionToOpenState();
            case HALF_OPEN -> breaker.transitionToHalfOpenState();
            case FORCED_OPEN -> breaker.transitionToForcedOpenState();
            case DISABLED -> breaker.transitionToDisabledState();
        }
    }

    /**
     * The endpoint's answer.
     *
     * @param circuitBreakers breakers by name
     */
    public record CircuitBreakers(Map<String, CircuitBreakerDescriptor> circuitBreakers) {
    }

    /**
     * One breaker as the endpoint shows it.
     *
     * @param state current state
     * @param failureRate failure rate in percent, {@code -1} while under the minimum number of calls
     * @param slowCallRate slow-call rate in percent, {@code -1} while under the minimum number of calls
     * @param bufferedCalls calls recorded in the window
     * @param failedCalls failed calls in the window
     * @param slowCalls slow calls in the window
     * @param notPermittedCalls calls rejected since creation or the last reset
     */
    public record CircuitBreakerDescriptor(String state, float failureRate, float slowCallRate, long bufferedCalls,
                                           long failedCalls, long slowCalls, long notPermittedCalls) {

        static CircuitBreakerDescriptor of(CircuitBreaker breaker) {
            CircuitBreakerMetrics metrics = breaker.metrics();
            return new CircuitBreakerDescriptor(metrics.state().name(), metrics.failureRate(), metrics.slowCallRate(),
                    metrics.bufferedCalls(), metrics.failedCalls(), metrics.slowCalls(), metrics.notPermittedCalls());
        }
    }
}

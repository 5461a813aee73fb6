package dev.resilience.spring.actuate;

import dev.resilience.spring.ResilienceConfigurationException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The part every endpoint's settings write shares: the values given, the change through {@link SettingsChanges}, and
 * the answer: 200 with what changed ({@link Reconfigured}), 404 for an unknown instance, 400 with the start-up message
 * ({@link Refused}, no stack trace) for an invalid value or one that cannot change at run time, or for a request the
 * endpoint cannot take (an unknown state, an empty body), in which case nothing changed. Public for its two answer
 * types only, which are the endpoints' JSON.
 */
public final class SettingsWrites {

    private static final String NOT_AT_RUN_TIME = "Settings cannot be changed at run time in this application";

    private SettingsWrites() {
    }

    /**
     * @param pairs setting, value, setting, value, ... (values null where not given)
     * @return the given settings, in order
     */
    static Map<String, String> given(@Nullable String... pairs) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                settings.put(pairs[i], pairs[i + 1]);
            }
        }
        return settings;
    }

    /**
     * @param changes where changes go, or null when the application has none (then no write is possible)
     * @param kind the kind as in property names
     * @param name the instance's name
     * @param exists whether the instance exists
     * @param settings the settings to set, not empty
     * @param config the instance's config after the change
     * @return the answer
     */
    static WebEndpointResponse<Object> change(@Nullable SettingsChanges changes, String kind, String name,
                                                    boolean exists, Map<String, String> settings, Supplier<Object> config) {
        if (!exists) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        if (changes == null) {
            return badRequest(NOT_AT_RUN_TIME, "Nothing was changed.");
        }
        try {
            return new WebEndpointResponse<>(new Reconfigured(name, changes.change(kind, name, settings), config.get().toString()));
        } catch (ResilienceConfigurationException e) {
            return refused(e);
        }
    }

    /**
     * @param changes where changes go, or null
     * @param kind the kind as in property names
     * @param name the instance's name
     * @param exists whether the instance exists
     * @param config the instance's config after the change
     * @return the answer
     */
    static WebEndpointResponse<Object> restore(@Nullable SettingsChanges changes, String kind, String name,
                                                     boolean exists, Supplier<Object> config) {
        if (!exists) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        if (changes == null) {
            return badRequest(NOT_AT_RUN_TIME, "Nothing was changed.");
        }
        try {
            return new WebEndpointResponse<>(new Reconfigured(name, changes.restore(kind, name), config.get().toString()));
        } catch (ResilienceConfigurationException e) {
            return refused(e);
        }
    }

    /**
     * A 400 whose body says why (Spring Boot leaves the message out of its error bodies by default, and an operator
     * needs it): {@code {"error": <the start-up message>, "action": <how to fix it>}}.
     */
    private static WebEndpointResponse<Object> refused(ResilienceConfigurationException e) {
        return badRequest(e.getMessage(), e.action());
    }

    /**
     * Runs a write operation, answering a request it cannot take as {@link #refused} answers a refused setting: a 400
     * whose body says what is wrong and what to send instead.
     *
     * @param write the operation
     * @return its answer, or that 400
     */
    @SuppressWarnings("unchecked")
    static WebEndpointResponse<Object> answering(Supplier<? extends WebEndpointResponse<?>> write) {
        try {
            return (WebEndpointResponse<Object>) write.get();
        } catch (InvalidEndpointRequestException e) {
            return badRequest(e.getMessage(), e.getReason());
        }
    }

    private static WebEndpointResponse<Object> badRequest(String error, String action) {
        return new WebEndpointResponse<>(new Refused(error, action), WebEndpointResponse.STATUS_BAD_REQUEST);
    }

    /**
     * The answer to a refused write; nothing was changed.
     *
     * @param error what is wrong (for a setting, naming the full property, as at start-up)
     * @param action how to fix it
     */
    public record Refused(String error, String action) {
    }

    /** @return a 400 for a body that sets nothing */
    static InvalidEndpointRequestException nothingGiven(List<String> settings) {
        return new InvalidEndpointRequestException("Expected a body setting at least one of " + settings,
                "Send a JSON body with one or more of those settings. Nothing was changed.");
    }


    /**
     * The answer to a settings write.
     *
     * @param name the instance
     * @param changes what changed, one line per instance changed ({@code "ratelimiter 'x': limitForPeriod 10 -> 50"})
     * @param config the instance's settings now
     */
    public record Reconfigured(String name, List<String> changes, String config) {
    }
}

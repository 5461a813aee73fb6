package dev.resilience.spring.actuate;

import dev.resilience.core.Registry;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import dev.resilience.timeout.TimeoutMetrics;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code timeouts} actuator endpoint: the settings and call outcomes of every timeout instance, or of one, and (once
 * write access is granted with {@code management.endpoint.timeouts.access=unrestricted}) changes of a timeout's settings
 * at run time ({@code POST} {@code {"timeoutDuration": "2s"}}; calls running keep the duration they started with, the
 * next call uses the new one) and their removal ({@code DELETE}). An unknown name is never created: it answers 404.
 */
@Endpoint(id = "timeouts", defaultAccess = Access.READ_ONLY)
public class TimeoutsEndpoint {

    private static final List<String> SETTINGS = List.of("timeoutDuration", "cancelRunningFuture");

    private final Registry<Timeout, TimeoutConfig> registry;
    private final @Nullable SettingsChanges changes;

    /**
     * @param registry the timeouts to show and change
     * @param changes where settings changes go, or null: none can be made
     */
    public TimeoutsEndpoint(Registry<Timeout, TimeoutConfig> registry, @Nullable SettingsChanges changes) {
        this.registry = registry;
        this.changes = changes;
    }

    /**
     * Changes settings of a running timeout: calls under way keep theirs, the next call uses the new ones (validated as
     * at start-up, all or nothing; logged at INFO with the old and new values; published as CONFIG_CHANGED). Kept
     * until {@link #restore} or a restart, also across refreshes of the application's properties.
     *
     * @param name instance name
     * @param timeoutDuration the longest a call may take ({@code 2s}, {@code 500ms})
     * @param cancelRunningFuture whether a call that takes too long is cancelled ({@code true}/{@code false})
     * @return what changed, 404 for an unknown name, 400 for an invalid value (nothing changed)
     */
    @WriteOperation
    public WebEndpointResponse<Object> change(@Selector String name, @Nullable String timeoutDuration,
                                              @Nullable String cancelRunningFuture) {
        return SettingsWrites.answering(() -> {
            Map<String, String> settings = SettingsWrites.given("timeoutDuration", timeoutDuration, "cancelRunningFuture",
                    cancelRunningFuture);
            if (settings.isEmpty()) {
                throw SettingsWrites.nothingGiven(SETTINGS);
            }
            return SettingsWrites.change(changes, "timeout", name, registry.find(name).isPresent(), settings,
                    () -> registry.find(name).orElseThrow().config());
        });
    }

    /**
     * Drops the settings changed through {@link #change}: the timeout goes back to its properties.
     *
     * @param name instance name
     * @return what changed, 404 for an unknown name
     */
    @DeleteOperation
    public WebEndpointResponse<Object> restore(@Selector String name) {
        return SettingsWrites.restore(changes, "timeout", name, registry.find(name).isPresent(),
                () -> registry.find(name).orElseThrow().config());
    }

    /** @return every timeout, sorted by name */
    @ReadOperation
    public Timeouts timeouts() {
        Map<String, TimeoutDescriptor> result = new TreeMap<>();
        registry.all().forEach(timeout -> result.put(timeout.name(), TimeoutDescriptor.of(timeout)));
        return new Timeouts(result);
    }

    /**
     * @param name instance name
     * @return that timeout alone, or {@code null} (404) when there is none
     */
    @ReadOperation
    public @Nullable Timeouts timeout(@Selector String name) {
        return registry.find(name).map(timeout -> new Timeouts(Map.of(timeout.name(), TimeoutDescriptor.of(timeout))))
                .orElse(null);
    }

    /**
     * The endpoint's answer.
     *
     * @param timeouts timeouts by name
     */
    public record Timeouts(Map<String, TimeoutDescriptor> timeouts) {
    }

    /**
     * One timeout: its settings now and its outcomes since creation.
     *
     * @param timeoutDuration the longest a call may take, ISO-8601 ({@code PT1S})
     * @param cancelRunningFuture whether a call that takes too long is cancelled
     * @param successfulCalls calls that succeeded in time
     * @param failedCalls calls that failed in time
     * @param timedOutCalls calls that took too long
     */
    public record TimeoutDescriptor(String timeoutDuration, boolean cancelRunningFuture, long successfulCalls,
                                    long failedCalls, long timedOutCalls) {

        static TimeoutDescriptor of(Timeout timeout) {
            TimeoutConfig config = timeout.config();
            TimeoutMetrics metrics = timeout.metrics();
            return new TimeoutDescriptor(config.timeoutDuration().toString(), config.cancelRunningFuture(),
                    metrics.successfulCalls(), metrics.failedCalls(), metrics.timedOutCalls());
        }
    }
}

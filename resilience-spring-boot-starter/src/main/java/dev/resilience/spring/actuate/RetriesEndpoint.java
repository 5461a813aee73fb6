package dev.resilience.spring.actuate;

import dev.resilience.core.Registry;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import dev.resilience.retry.RetryMetrics;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code retries} actuator endpoint: call outcomes of every retry instance, or of one, and (once write access is
 * granted with {@code management.endpoint.retries.access=unrestricted}) changes of a retry's settings at run time
 * ({@code POST} {@code {"maxAttempts": 5}}; the next call uses them) and their removal ({@code DELETE}). An unknown
 * name is never created: it answers 404.
 */
@Endpoint(id = "retries", defaultAccess = Access.READ_ONLY)
public class RetriesEndpoint {

    private static final java.util.List<String> SETTINGS = java.util.List.of("maxAttempts", "waitDuration",
            "exponentialBackoffMultiplier", "exponentialMaxWaitDuration", "randomizedWaitFactor", "maxDuration");

    private final Registry<Retry, RetryConfig> registry;
    private final @Nullable SettingsChanges changes;

    /**
     * @param registry the retries to show
     */
    public RetriesEndpoint(Registry<Retry, RetryConfig> registry) {
        this(registry, null);
    }

    /**
     * @param registry the retries to show and change
     * @param changes where settings changes go, or null: none can be made
     */
    public RetriesEndpoint(Registry<Retry, RetryConfig> registry, @Nullable SettingsChanges changes) {
        this.registry = registry;
        this.changes = changes;
    }

    /**
     * Changes settings of a running retry: calls under way keep theirs, the next call uses the new ones (validated as
     * at start-up, all or nothing; logged at INFO with the old and new values; published as CONFIG_CHANGED). Kept
     * until {@link #restore} or a restart, also across refreshes of the application's properties.
     *
     * @param name instance name
     * @param maxAttempts attempts in all, first call included, as text
     * @param waitDuration the wait before the first retry ({@code 500ms})
     * @param exponentialBackoffMultiplier growth of the wait per retry (1: fixed)
     * @param exponentialMaxWaitDuration the longest wait
     * @param randomizedWaitFactor jitter, 0 to 1
     * @param maxDuration the longest a call with its retries may take
     * @return what changed, 404 for an unknown name, 400 for an invalid value (nothing changed)
     */
    @WriteOperation
    public WebEndpointResponse<Object> change(@Selector String name, @Nullable String maxAttempts,
                                                                   @Nullable String waitDuration,
                                                                   @Nullable String exponentialBackoffMultiplier,
                                                                   @Nullable String exponentialMaxWaitDuration,
                                                                   @Nullable String randomizedWaitFactor,
                                                                   @Nullable String maxDuration) {
        return SettingsWrites.answering(() -> {
            Map<String, String> settings = SettingsWrites.given("maxAttempts", maxAttempts, "waitDuration", waitDuration,
                    "exponentialBackoffMultiplier", exponentialBackoffMultiplier, "exponentialMaxWaitDuration",
                    exponentialMaxWaitDuration, "randomizedWaitFactor", randomizedWaitFactor, "maxDuration", maxDuration);
            if (settings.isEmpty()) {
                throw SettingsWrites.nothingGiven(SETTINGS);
            }
            return SettingsWrites.change(changes, "retry", name, registry.find(name).isPresent(), settings,
                    () -> registry.find(name).orElseThrow().config());
        });
    }

    /**
     * Drops the settings changed through {@link #change}: the retry goes back to its properties.
     *
     * @param name instance name
     * @return what changed, 404 for an unknown name
     */
    @DeleteOperation
    public WebEndpointResponse<Object> restore(@Selector String name) {
        return SettingsWrites.restore(changes, "retry", name, registry.find(name).isPresent(),
                () -> registry.find(name).orElseThrow().config());
    }

    /** @return every retry, sorted by name */
    @ReadOperation
    public Retries retries() {
        Map<String, RetryDescriptor> result = new LinkedHashMap<>();
        registry.all().forEach(retry -> result.put(retry.name(), RetryDescriptor.of(retry)));
        return new Retries(result);
    }

    /**
     * @param name instance name
     * @return that retry alone, or {@code null} (404) when there is none
     */
    @ReadOperation
    public @Nullable Retries retry(@Selector String name) {
        return registry.find(name).map(retry -> new Retries(Map.of(retry.name(), RetryDescriptor.of(retry)))).orElse(null);
    }

    /**
     * The endpoint's answer.
     *
     * @param retries retries by name
     */
    public record Retries(Map<String, RetryDescriptor> retries) {
    }

    /**
     * One retry's outcomes since creation.
     *
     * @param successfulCallsWithoutRetry calls that succeeded at the first attempt
     * @param successfulCallsWithRetry calls that succeeded after at least one retry
     * @param failedCallsWithoutRetry calls that failed without being retried (not retryable)
     * @param failedCallsWithRetry calls that failed after all their attempts
     * @param retriesRefusedByBudget retries refused because the retry budget was spent
     * @param budgetRemaining retries the budget still allows in its window, or -1 when the retry has no budget
     */
    public record RetryDescriptor(long successfulCallsWithoutRetry, long successfulCallsWithRetry,
                                  long failedCallsWithoutRetry, long failedCallsWithRetry,
                                  long retriesRefusedByBudget, long budgetRemaining) {

        static RetryDescriptor of(Retry retry) {
            RetryMetrics metrics = retry.metrics();
            return new RetryDescriptor(metrics.successfulCallsWithoutRetry(), metrics.successfulCallsWithRetry(),
                    metrics.failedCallsWithoutRetry(), metrics.failedCallsWithRetry(),
                    metrics.retriesRefusedByBudget(), metrics.budgetRemaining());
        }
    }
}

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

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code retries} actuator endpoint: call outcomes of every retry instance, or of one. An unknown name is
 * never created: it answers 404.
 */
@Endpoint(id = "retries", defaultAccess = Access.READ_ONLY)
public class RetriesEndpoint {

    private final Registry<Retry, RetryConfig> registry;

    /**
     * @param registry the retries to show
     */
    public RetriesEndpoint(Registry<Retry, RetryConfig> registry) {
        this.registry = registry;
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

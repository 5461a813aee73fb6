package dev.resilience.spring.dashboard;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadMetrics;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadMetrics;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterMetrics;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryMetrics;
import dev.resilience.spring.ResilienceRegistries;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The one document the live page reads on every refresh ({@code <path>/snapshot.json}): every instance with its state,
 * its settings that give the state a scale (thresholds, maxima), and its counters since creation, from which the page
 * derives calls and rejections per second; and where the page finds the actuator. The actuator endpoints do not carry
 * the thresholds and totals a tile shows, so the page reads this rather than four endpoints.
 *
 * @param refreshMillis how often the page reads this again
 * @param actuator where the events and the breaker writes are, and whether writes are allowed
 * @param circuitBreakers circuit breakers by name
 * @param bulkheads semaphore and thread-pool bulkheads by name
 * @param rateLimiters rate limiters by name
 * @param retries retries by name
 */
public record DashboardSnapshot(long refreshMillis, ActuatorLinks actuator, List<CircuitBreakerTile> circuitBreakers,
                               List<BulkheadTile> bulkheads, List<RateLimiterTile> rateLimiters, List<RetryTile> retries) {

    /**
     * @param registries the instances to show
     * @param refreshMillis how often the page refreshes
     * @param actuator the actuator links, with the context path already in front
     * @return every instance now, each kind sorted by name
     */
    static DashboardSnapshot of(ResilienceRegistries registries, long refreshMillis, ActuatorLinks actuator) {
        List<CircuitBreakerTile> breakers = new ArrayList<>();
        registries.circuitBreakers().all().forEach(breaker -> breakers.add(CircuitBreakerTile.of(breaker)));
        List<BulkheadTile> bulkheads = new ArrayList<>();
        registries.bulkheads().all().forEach(bulkhead -> bulkheads.add(BulkheadTile.of(bulkhead)));
        registries.threadPoolBulkheads().all().forEach(bulkhead -> bulkheads.add(BulkheadTile.of(bulkhead)));
        List<RateLimiterTile> limiters = new ArrayList<>();
        registries.rateLimiters().all().forEach(limiter -> limiters.add(RateLimiterTile.of(limiter)));
        List<RetryTile> retries = new ArrayList<>();
        registries.retries().all().forEach(retry -> retries.add(RetryTile.of(retry)));
        breakers.sort(Comparator.comparing(CircuitBreakerTile::name));
        bulkheads.sort(Comparator.comparing(BulkheadTile::name).thenComparing(BulkheadTile::type));
        limiters.sort(Comparator.comparing(RateLimiterTile::name));
        retries.sort(Comparator.comparing(RetryTile::name));
        return new DashboardSnapshot(refreshMillis, actuator, breakers, bulkheads, limiters, retries);
    }

    /**
     * Where the page finds the actuator, computed from what the actuator exposes over HTTP on the application's port.
     *
     * @param events path of the {@code resilienceevents} endpoint, or null when it is not exposed
     * @param circuitBreakers path of the {@code circuitbreakers} endpoint, or null when it is not exposed
     * @param writes whether the {@code circuitbreakers} endpoint's write operation is exposed
     *     ({@code management.endpoint.circuitbreakers.access=unrestricted}): only then does the page show its buttons
     */
    public record ActuatorLinks(@Nullable String events, @Nullable String circuitBreakers, boolean writes) {
    }

    /**
     * One circuit breaker.
     *
     * @param name instance name
     * @param state CLOSED, OPEN, HALF_OPEN, FORCED_OPEN, DISABLED ...
     * @param failureRate failure rate in percent, -1 while under the minimum number of calls
     * @param failureRateThreshold the failure rate that opens the breaker
     * @param slowCallRate slow-call rate in percent, -1 while under the minimum number of calls
     * @param slowCallRateThreshold the slow-call rate that opens the breaker
     * @param bufferedCalls calls in the window
     * @param minimumNumberOfCalls calls the window needs before a rate counts
     * @param calls calls recorded since creation or the last reset (successful, failed and ignored)
     * @param notPermittedCalls calls rejected since creation or the last reset
     */
    public record CircuitBreakerTile(String name, String state, float failureRate, float failureRateThreshold,
                                     float slowCallRate, float slowCallRateThreshold, long bufferedCalls,
                                     int minimumNumberOfCalls, long calls, long notPermittedCalls) {

        static CircuitBreakerTile of(CircuitBreaker breaker) {
            CircuitBreakerMetrics metrics = breaker.metrics();
            CircuitBreakerConfig config = breaker.config();
            return new CircuitBreakerTile(breaker.name(), metrics.state().name(), metrics.failureRate(),
                    config.failureRateThreshold(), metrics.slowCallRate(), config.slowCallRateThreshold(),
                    metrics.bufferedCalls(), config.minimumNumberOfCalls(),
                    metrics.totalSuccessfulCalls() + metrics.totalFailedCalls() + metrics.totalIgnoredCalls(),
                    metrics.notPermittedCalls());
        }
    }

    /**
     * One bulkhead. A thread-pool bulkhead's capacity is its threads plus its queue, as on the {@code bulkheads}
     * endpoint.
     *
     * @param name instance name
     * @param type SEMAPHORE or THREADPOOL
     * @param inUse permits held now (running plus queued calls of a thread-pool bulkhead)
     * @param maxConcurrentCalls permits in all
     * @param waitingCalls calls waiting for a permit (semaphore bulkheads; 0 for a thread pool, whose waiting calls
     *     are queued and counted in {@code inUse})
     * @param permittedCalls calls admitted since creation
     * @param rejectedCalls calls rejected since creation
     */
    public record BulkheadTile(String name, String type, int inUse, int maxConcurrentCalls, int waitingCalls,
                               long permittedCalls, long rejectedCalls) {

        static BulkheadTile of(Bulkhead bulkhead) {
            BulkheadMetrics metrics = bulkhead.metrics();
            return new BulkheadTile(bulkhead.name(), "SEMAPHORE",
                    metrics.maxConcurrentCalls() - metrics.availableConcurrentCalls(), metrics.maxConcurrentCalls(),
                    metrics.waitingCalls(), metrics.permittedCalls(), metrics.rejectedCalls());
        }

        static BulkheadTile of(ThreadPoolBulkhead bulkhead) {
            ThreadPoolBulkheadMetrics metrics = bulkhead.metrics();
            return new BulkheadTile(bulkhead.name(), "THREADPOOL", metrics.activeThreads() + metrics.queueDepth(),
                    metrics.maxThreadPoolSize() + metrics.queueCapacity(), 0, metrics.permittedCalls(),
                    metrics.rejectedCalls());
        }
    }

    /**
     * One rate limiter.
     *
     * @param name instance name
     * @param limitForPeriod permits per period
     * @param limitRefreshPeriodMillis length of a period
     * @param availablePermissions permits still free in the current period
     * @param waitingCalls calls waiting for a permit
     * @param permittedCalls calls admitted since creation
     * @param rejectedCalls calls rejected since creation
     */
    public record RateLimiterTile(String name, int limitForPeriod, long limitRefreshPeriodMillis, int availablePermissions,
                                  int waitingCalls, long permittedCalls, long rejectedCalls) {

        static RateLimiterTile of(RateLimiter limiter) {
            RateLimiterMetrics metrics = limiter.metrics();
            return new RateLimiterTile(limiter.name(), metrics.limitForPeriod(),
                    limiter.config().limitRefreshPeriod().toMillis(), metrics.availablePermissions(),
                    metrics.waitingCalls(), metrics.permittedCalls(), metrics.rejectedCalls());
        }
    }

    /**
     * One retry.
     *
     * @param name instance name
     * @param maxAttempts attempts per call, the first included
     * @param successfulCallsWithoutRetry calls that succeeded at the first attempt
     * @param successfulCallsWithRetry calls that succeeded after at least one retry
     * @param failedCallsWithoutRetry calls that failed without being retried
     * @param failedCallsWithRetry calls that failed after all their attempts
     * @param retriesRefusedByBudget retries the budget refused
     * @param budgetRemaining retries the budget still allows in its window, -1 without a budget
     */
    public record RetryTile(String name, int maxAttempts, long successfulCallsWithoutRetry, long successfulCallsWithRetry,
                            long failedCallsWithoutRetry, long failedCallsWithRetry, long retriesRefusedByBudget,
                            long budgetRemaining) {

        static RetryTile of(Retry retry) {
            RetryMetrics metrics = retry.metrics();
            return new RetryTile(retry.name(), retry.config().maxAttempts(), metrics.successfulCallsWithoutRetry(),
                    metrics.successfulCallsWithRetry(), metrics.failedCallsWithoutRetry(), metrics.failedCallsWithRetry(),
                    metrics.retriesRefusedByBudget(), metrics.budgetRemaining());
        }
    }
}

package dev.resilience.spring.interceptor;

import dev.resilience.ResilienceException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;

import java.util.List;
import java.util.function.Predicate;

/**
 * Which exceptions a method's fallback never receives: the one place where the starter reads what a policy's
 * config ignores, in the policy's own terms.
 *
 * <ul>
 *   <li>A retry ignores what it does not retry ({@link RetryConfig#isRetryable(Throwable)} is false: an
 *       {@code ignore-exceptions} match, an exception outside {@code retry-exceptions}, an {@link Error}); its
 *       events and metrics call these ignored errors too.</li>
 *   <li>A circuit breaker ignores, for the fallback, what it does not record as a failure
 *       ({@link CircuitBreakerConfig#records(Throwable)} is false): an exception its {@code ignore-exceptions} (or
 *       ignore predicate) ignores, an {@link Error} no record class names, and one outside its
 *       {@code record-exceptions} (and record predicate), which the breaker counts as a success.</li>
 * </ul>
 *
 * <p>An exception is withheld from the fallback when every retry and circuit breaker of the method ignores it: an
 * exception one of them counts as a failure is a failure of the method, which the fallback is there to replace.
 * Rate limiters, timeouts and bulkheads classify no exceptions. Rejections ({@link ResilienceException}: an open
 * breaker, a full bulkhead, a rate limit, a timeout) always reach the fallback, whatever a config says about them.
 */
final class PolicyExceptions {

    private PolicyExceptions() {
    }

    /** @return a test that accepts the exceptions the retry's config does not retry */
    static Predicate<Throwable> ignoredBy(Retry retry) {
        RetryConfig config = retry.config();
        return error -> !config.isRetryable(error);
    }

    /** @return a test that accepts the exceptions the breaker does not record as failures */
    static Predicate<Throwable> ignoredBy(CircuitBreaker breaker) {
        CircuitBreakerConfig config = breaker.config();
        return error -> !config.records(error);
    }

    /**
     * @param ignoredByEach what each exception-classifying policy of the method ignores
     * @return a test that accepts the exceptions the method's fallback must not receive
     */
    static Predicate<Throwable> withheldFromFallback(List<Predicate<Throwable>> ignoredByEach) {
        if (ignoredByEach.isEmpty()) {
            return error -> false;
        }
        List<Predicate<Throwable>> all = List.copyOf(ignoredByEach);
        return error -> {
            if (error instanceof ResilienceException) {
                return false;
            }
            for (Predicate<Throwable> ignored : all) {
                if (!ignored.test(error)) {
                    return false;
                }
            }
            return true;
        };
    }
}

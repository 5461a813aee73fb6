package dev.resilience.spring.interceptor;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.core.ExceptionClassifier;
import dev.resilience.retry.Retry;

import java.util.List;
import java.util.function.Predicate;

/**
 * Which exceptions an instance's config ignores, so that its fallback never sees them.
 */
final class PolicyExceptions {

    private PolicyExceptions() {
    }

    static Predicate<Throwable> ignoredBy(CircuitBreaker breaker) {
        return ignored(breaker.config().ignoreExceptions(), breaker.config().ignoreException().orElse(null));
    }

    static Predicate<Throwable> ignoredBy(Retry retry) {
        return ignored(retry.config().ignoreExceptions(), null);
    }

    private static Predicate<Throwable> ignored(List<Class<? extends Throwable>> classes, Predicate<Throwable> predicate) {
        if (classes.isEmpty() && predicate == null) {
            return error -> false;
        }
        // A classifier that records nothing but what is not ignored: counts() is false exactly for ignored errors.
        ExceptionClassifier classifier = new ExceptionClassifier(List.of(), classes, null, predicate);
        return error -> !classifier.counts(error);
    }
}

package dev.resilience.circuitbreaker.internal;

import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.Clock;
import dev.resilience.core.internal.Durations;
import dev.resilience.core.internal.ExceptionClassifier;

import java.util.function.Predicate;

/**
 * One {@link CircuitBreakerConfig} with everything the breaker derives from it, immutable, so that a change of
 * configuration ({@link CircuitBreakerImpl#reconfigure}) replaces all of it in one volatile write and a reader never
 * sees half of an old config and half of a new one.
 *
 * <p>What a state fixes when it is entered (the window, the trial permits and the longest wait in HALF_OPEN, the
 * open-state wait) it keeps. A call reads the settings once, when it is admitted, and is timed and classified by them
 * (slow-call threshold, exception and result classification), so that a change applies from the next call on and a
 * call pays for one volatile read, not one per setting. What is read at each decision of a window (thresholds,
 * minimum number of calls) is read from the breaker's current settings.
 */
final class BreakerSettings {

    final CircuitBreakerConfig config;
    /** The config's classification ({@link CircuitBreakerConfig#records}), here with its predicates' exceptions. */
    final ExceptionClassifier classifier;
    final Predicate<Object> resultPredicate;
    final boolean timeBased;
    final int windowSize;
    final long slowNanos;
    /** Whether calls are timed with the coarse time (see {@link CircuitBreakerImpl}). */
    final boolean coarseTiming;
    final long openNanos;
    final double openMultiplier;
    /** The longest open-state wait: the configured maximum, or "for ever". */
    final long maxOpenNanos;
    final long maxHalfOpenNanos;
    final int minimumCalls;
    final int halfOpenCalls;
    final float failureThreshold;
    final float slowThreshold;

    BreakerSettings(CircuitBreakerConfig config, Clock clock) {
        this.config = config;
        this.classifier = ExceptionClassifier.ignoringUnnamedErrors(config.recordExceptions(),
                config.ignoreExceptions(), config.recordException().orElse(null), config.ignoreException().orElse(null));
        this.resultPredicate = config.recordResult().orElse(null);
        this.timeBased = config.slidingWindowType() == CircuitBreakerConfig.SlidingWindowType.TIME_BASED;
        this.windowSize = config.slidingWindowSize();
        // Saturated: a duration too long for a long of nanoseconds (about 292 years) is "practically forever".
        this.slowNanos = Durations.saturatedNanos(config.slowCallDurationThreshold());
        long resolution = clock.coarseResolutionNanos();
        this.coarseTiming = slowNanos > 0 && resolution >= 0 && resolution <= slowNanos / 100;
        this.openNanos = Durations.saturatedNanos(config.waitDurationInOpenState());
        this.openMultiplier = config.waitDurationInOpenStateMultiplier();
        this.maxOpenNanos = config.maxWaitDurationInOpenState().map(Durations::saturatedNanos).orElse(Long.MAX_VALUE);
        this.maxHalfOpenNanos = Durations.saturatedNanos(config.maxWaitDurationInHalfOpenState());
        this.minimumCalls = config.minimumNumberOfCalls();
        this.halfOpenCalls = config.permittedNumberOfCallsInHalfOpenState();
        this.failureThreshold = config.failureRateThreshold();
        this.slowThreshold = config.slowCallRateThreshold();
    }

    /** @return whether a CLOSED window built for {@code other} has another type or size than one built for these */
    boolean windowDiffers(BreakerSettings other) {
        return timeBased != other.timeBased || windowSize != other.windowSize;
    }
}

package dev.resilience.test;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link CircuitBreaker}: its state and the counts of its current window. */
public final class CircuitBreakerAssert extends AbstractAssert<CircuitBreakerAssert, CircuitBreaker> {

    CircuitBreakerAssert(CircuitBreaker actual) {
        super(actual, CircuitBreakerAssert.class);
    }

    /**
     * @param expected the state the breaker must be in
     * @return this
     */
    public CircuitBreakerAssert hasState(State expected) {
        isNotNull();
        State state = actual.state();
        if (state != expected) {
            failWithMessage("Expected circuit breaker '%s' to be %s but was %s (%s)", actual.name(), expected, state,
                    actual.metrics());
        }
        return this;
    }

    /** @return this, if the breaker is CLOSED */
    public CircuitBreakerAssert isClosed() {
        return hasState(State.CLOSED);
    }

    /** @return this, if the breaker is OPEN */
    public CircuitBreakerAssert isOpen() {
        return hasState(State.OPEN);
    }

    /** @return this, if the breaker is HALF_OPEN */
    public CircuitBreakerAssert isHalfOpen() {
        return hasState(State.HALF_OPEN);
    }

    /** @return this, if the breaker is FORCED_OPEN */
    public CircuitBreakerAssert isForcedOpen() {
        return hasState(State.FORCED_OPEN);
    }

    /** @return this, if the breaker is DISABLED */
    public CircuitBreakerAssert isDisabled() {
        return hasState(State.DISABLED);
    }

    /**
     * @param percent the expected failure rate in percent, or -1 for "fewer calls than the minimum"
     * @return this
     */
    public CircuitBreakerAssert hasFailureRate(float percent) {
        isNotNull();
        float rate = actual.metrics().failureRate();
        if (Float.compare(rate, percent) != 0) {
            failWithMessage("Expected circuit breaker '%s' to have a failure rate of %s %% but it was %s %% (%s)",
                    actual.name(), percent, rate, actual.metrics());
        }
        return this;
    }

    /**
     * @param percent the expected slow-call rate in percent, or -1 for "fewer calls than the minimum"
     * @return this
     */
    public CircuitBreakerAssert hasSlowCallRate(float percent) {
        isNotNull();
        float rate = actual.metrics().slowCallRate();
        if (Float.compare(rate, percent) != 0) {
            failWithMessage("Expected circuit breaker '%s' to have a slow-call rate of %s %% but it was %s %% (%s)",
                    actual.name(), percent, rate, actual.metrics());
        }
        return this;
    }

    /**
     * @param calls the calls expected in the window (ignored exceptions are not recorded)
     * @return this
     */
    public CircuitBreakerAssert hasBufferedCalls(long calls) {
        return hasCount("buffered calls", actual == null ? 0 : actual.metrics().bufferedCalls(), calls);
    }

    /**
     * @param calls the failed calls expected in the window
     * @return this
     */
    public CircuitBreakerAssert hasFailedCalls(long calls) {
        return hasCount("failed calls", actual == null ? 0 : actual.metrics().failedCalls(), calls);
    }

    /**
     * @param calls the calls expected to have been rejected since creation or the last reset
     * @return this
     */
    public CircuitBreakerAssert hasNotPermittedCalls(long calls) {
        return hasCount("not permitted calls", actual == null ? 0 : actual.metrics().notPermittedCalls(), calls);
    }

    private CircuitBreakerAssert hasCount(String what, long count, long expected) {
        isNotNull();
        if (count != expected) {
            CircuitBreakerMetrics metrics = actual.metrics();
            failWithMessage("Expected circuit breaker '%s' to have %s %s but it had %s (%s)", actual.name(), expected,
                    what, count, metrics);
        }
        return this;
    }
}

package dev.resilience.circuitbreaker.internal;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;

/**
 * FORCED_OPEN (rejects everything) or DISABLED (admits everything, records nothing). Left only by a manual
 * transition or a reset.
 */
final class FixedState extends BreakerState {

    private final State fixed;

    FixedState(CircuitBreakerImpl breaker, State fixed) {
        super(breaker);
        this.fixed = fixed;
    }

    @Override
    State state() {
        return fixed;
    }

    @Override
    long tryAcquire() {
        return fixed == State.DISABLED ? PERMIT : REJECT;
    }

    @Override
    boolean recording() {
        return false;
    }

    @Override
    CircuitBreakerMetrics metrics(long notPermittedCalls) {
        return breaker.totals.metrics(fixed, new long[4], 1, notPermittedCalls);
    }
}

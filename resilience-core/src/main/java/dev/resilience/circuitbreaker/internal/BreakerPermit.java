package dev.resilience.circuitbreaker.internal;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.core.internal.Durations;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * A permit of {@link CircuitBreaker#tryAcquire()}: the admitting state and start time that a wrapped call keeps on
 * its stack, plus a flag that lets exactly one finish through (a CAS, so concurrent finishes settle it once).
 */
final class BreakerPermit implements CircuitBreaker.Permit {

    private static final VarHandle FINISHED;

    static {
        try {
            FINISHED = MethodHandles.lookup().findVarHandle(BreakerPermit.class, "finished", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CircuitBreakerImpl breaker;
    private final BreakerState admitted;
    /** The settings the call was admitted under: they time and classify it. */
    private final BreakerSettings settings;
    private final long start;
    @SuppressWarnings("unused") // through FINISHED
    private volatile boolean finished;

    BreakerPermit(CircuitBreakerImpl breaker, BreakerState admitted, BreakerSettings settings, long start) {
        this.breaker = breaker;
        this.admitted = admitted;
        this.settings = settings;
        this.start = start;
    }

    private boolean finish() {
        return FINISHED.compareAndSet(this, false, true);
    }

    private static long nanos(Duration duration) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("duration must be zero or positive, but was " + duration);
        }
        return Durations.saturatedNanos(duration);
    }

    private static Throwable checked(Throwable error) {
        if (error == null) {
            throw new IllegalArgumentException("error must not be null");
        }
        return error;
    }

    @Override
    public boolean onSuccess() {
        if (!finish()) {
            return false;
        }
        breaker.onSuccess(admitted, settings, start, CircuitBreakerImpl.MEASURE);
        return true;
    }

    @Override
    public boolean onSuccess(Duration duration) {
        long took = nanos(duration);
        if (!finish()) {
            return false;
        }
        breaker.onSuccess(admitted, settings, start, took);
        return true;
    }

    @Override
    public boolean onError(Throwable error) {
        checked(error);
        if (!finish()) {
            return false;
        }
        breaker.onError(admitted, settings, start, CircuitBreakerImpl.MEASURE, error);
        return true;
    }

    @Override
    public boolean onError(Throwable error, Duration duration) {
        checked(error);
        long took = nanos(duration);
        if (!finish()) {
            return false;
        }
        breaker.onError(admitted, settings, start, took, error);
        return true;
    }

    @Override
    public boolean onIgnore() {
        if (!finish()) {
            return false;
        }
        breaker.onIgnored(admitted, null);
        return true;
    }

    @Override
    public String toString() {
        return "Permit of " + breaker + (finished ? ", finished" : ", unfinished");
    }
}

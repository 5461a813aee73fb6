package dev.resilience.spring.observation;

import dev.resilience.ResilienceException;
import dev.resilience.timeout.TimeoutExceededException;
import io.micrometer.observation.Observation;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * What an observation of a protected call, or of one retry attempt of it, knows: the policies' kind and name, the
 * method, the attempt number, and the outcome once it has ended.
 *
 * <p>The outcome is one of {@value #SUCCESS}, {@value #ERROR} (the method failed), {@value #REJECTED} (a policy refused
 * the call: an open breaker, a full bulkhead, a rate limit, a shutdown), {@value #TIMEOUT} (a timeout ended it) or
 * {@value #CANCELLED}; {@value #UNKNOWN} until it ends.
 */
public class ResilienceObservationContext extends Observation.Context {

    /** The call succeeded. */
    public static final String SUCCESS = "success";
    /** The method (or the last attempt) failed with its own exception. */
    public static final String ERROR = "error";
    /** A policy refused the call ({@link ResilienceException#isRejection()}). */
    public static final String REJECTED = "rejected";
    /** A timeout ended the call. */
    public static final String TIMEOUT = "timeout";
    /** The caller cancelled the call (its future or its subscription). */
    public static final String CANCELLED = "cancelled";
    /** The call has not ended yet. */
    public static final String UNKNOWN = "unknown";

    private final String kind;
    private final String instanceName;
    private final String method;
    private final int attempt;
    private volatile String outcome = UNKNOWN;

    /**
     * @param kind the policies' kinds, outermost first, joined with commas (e.g. {@code retry,circuitbreaker}); for an
     *     attempt {@code retry}
     * @param instanceName the instance names, outermost first, the same name once, joined with commas
     * @param method the method as {@code SimpleClassName.method}
     * @param attempt the attempt number from 1, or 0 for the observation of the whole call
     */
    public ResilienceObservationContext(String kind, String instanceName, String method, int attempt) {
        this.kind = kind;
        this.instanceName = instanceName;
        this.method = method;
        this.attempt = attempt;
    }

    /** @return the policies' kinds, outermost first, joined with commas */
    public String getKind() {
        return kind;
    }

    /** @return the instance names, joined with commas */
    public String getInstanceName() {
        return instanceName;
    }

    /** @return the method as {@code SimpleClassName.method} */
    public String getMethod() {
        return method;
    }

    /** @return the attempt number from 1, or 0 for the observation of the whole call */
    public int getAttempt() {
        return attempt;
    }

    /** @return whether this observes one attempt rather than the whole call */
    public boolean isAttempt() {
        return attempt > 0;
    }

    /** @return how the call ended, {@value #UNKNOWN} until then */
    public String getOutcome() {
        return outcome;
    }

    /**
     * Records how the call ended.
     *
     * @param failure what it ended with, or {@code null} for a success
     */
    void ended(Throwable failure) {
        outcome = outcomeOf(failure);
    }

    /**
     * @param failure what a call ended with, or {@code null}
     * @return its outcome
     */
    static String outcomeOf(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t == null) {
            return SUCCESS;
        }
        if (t instanceof TimeoutExceededException) {
            return TIMEOUT;
        }
        if (t instanceof ResilienceException rejection && rejection.isRejection()) {
            return REJECTED;
        }
        if (t instanceof CancellationException) {
            return CANCELLED;
        }
        return ERROR;
    }
}

package dev.resilience;

import java.time.Duration;
import java.util.Optional;

/**
 * Base class of every rejection the engine raises: a call that was not run, or not allowed to finish,
 * because a policy said no.
 *
 * <p>Rejections are expected under load, so by default they are cheap: no stack trace is filled in (Resilience4j
 * fills one in unless {@code writableStackTraceEnabled} is false; there is no such setting here).
 * The message names the instance and the reason. Code that maps rejections (to HTTP status codes, metrics,
 * a retry decision) reads what it needs from this class instead of testing for each subclass:
 * <ul>
 *   <li>{@link #instanceName()}: the policy instance that said no;</li>
 *   <li>{@link #kind()}: the kind of that policy, as spelled in property names ({@code circuitbreaker},
 *       {@code bulkhead}, {@code thread-pool-bulkhead}, {@code ratelimiter}, {@code timeout}), or
 *       {@code shutdown} for a call refused because the application is stopping;</li>
 *   <li>{@link #retryAfter()}: how long until a new call may be admitted, where the policy knows it (an OPEN
 *       circuit breaker: the rest of its open-state wait; a rate limiter: the time until its next period);</li>
 *   <li>{@link #isRejection()}: whether the call was not run at all (true for every rejection but a timeout,
 *       whose call ran and was not allowed to finish).</li>
 * </ul>
 * The wait is kept in nanoseconds: raising a rejection allocates nothing for it, and {@link #retryAfter()}
 * creates its {@code Optional<Duration>} only when asked.
 */
public abstract class ResilienceException extends RuntimeException {

    private static final long serialVersionUID = 2L;

    /** {@link #retryAfterNanos} when the policy cannot tell when a call may be admitted. */
    private static final long UNKNOWN = -1;

    private final String kind;
    private final String instanceName;
    private final long retryAfterNanos;

    /**
     * Creates a rejection without a stack trace.
     *
     * @param kind the kind of policy that raised it, as in property names (see {@link #kind()})
     * @param instanceName name of the policy instance that rejected the call
     * @param message what happened, naming the instance (may be {@code null} when {@link #getMessage()} is
     *     overridden to build it only when asked)
     * @param retryAfterNanos how long until a new call may be admitted, in nanoseconds, or a negative value
     *     when unknown
     */
    protected ResilienceException(String kind, String instanceName, String message, long retryAfterNanos) {
        this(kind, instanceName, message, retryAfterNanos, null, false);
    }

    /**
     * Creates a rejection, choosing whether a stack trace is filled in.
     *
     * @param kind the kind of policy that raised it, as in property names (see {@link #kind()})
     * @param instanceName name of the policy instance that rejected the call
     * @param message what happened, naming the instance
     * @param retryAfterNanos how long until a new call may be admitted, in nanoseconds, or a negative value
     *     when unknown
     * @param cause the cause, or {@code null}
     * @param writableStackTrace whether to fill in the stack trace (costly; off for rejections)
     */
    protected ResilienceException(String kind, String instanceName, String message, long retryAfterNanos,
                                  Throwable cause, boolean writableStackTrace) {
        super(message, cause, false, writableStackTrace);
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        this.kind = kind;
        this.instanceName = instanceName;
        this.retryAfterNanos = retryAfterNanos < 0 ? UNKNOWN : retryAfterNanos;
    }

    /**
     * @return the name of the policy instance that raised this exception
     */
    public String instanceName() {
        return instanceName;
    }

    /**
     * @return the kind of policy that raised this exception, as spelled in property names and in
     *     {@link Policy#kind()}: {@code circuitbreaker}, {@code bulkhead}, {@code thread-pool-bulkhead},
     *     {@code ratelimiter} or {@code timeout}; {@code shutdown} for {@link ShutdownInProgressException}
     */
    public String kind() {
        return kind;
    }

    /**
     * @return how long until the policy may admit a new call, where it knows (an OPEN circuit breaker: the
     *     rest of its open-state wait; a rate limiter: the time until its next period); empty otherwise (a
     *     full bulkhead, a forced-open breaker, a shutdown, a timeout). Created on each call: read it once.
     */
    public Optional<Duration> retryAfter() {
        return retryAfterNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(retryAfterNanos));
    }

    /**
     * @return whether the call was not run at all because a policy refused to admit it (an open breaker, a
     *     full bulkhead, a rate limit, a shutdown): true unless a subclass says otherwise, as
     *     {@link dev.resilience.timeout.TimeoutExceededException} does for a call that ran and was not allowed
     *     to finish
     */
    public boolean isRejection() {
        return true;
    }
}

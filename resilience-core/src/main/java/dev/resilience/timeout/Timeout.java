package dev.resilience.timeout;

import dev.resilience.Policy;
import dev.resilience.core.Clock;
import dev.resilience.core.Events;
import dev.resilience.core.internal.ContinuationThreads;
import dev.resilience.spi.ContextCarrier;
import dev.resilience.timeout.internal.ScheduledTimeout;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Bounds how long a caller waits for a call. The timer runs on the timeout's {@link Clock}
 * ({@link Clock#schedule}), so tests with a {@link dev.resilience.core.ManualClock} drive timeouts exactly.
 *
 * <p><b>Synchronous calls</b> ({@link #call}) run on the caller's own thread, so a caller's transaction, request
 * scope, security context and every other thread-bound resource stay with the call. When the time is up, the
 * timer interrupts the caller's thread (if {@link TimeoutConfig#cancelRunningFuture()}, the default); the call
 * then ends with a {@link TimeoutExceededException}, whatever the call itself returned or threw after the
 * deadline. A call that ends in time ends with its own value or exception (checked ones included, unchanged).
 * <ul>
 *   <li>The interrupt never outlives the call: the caller clears the interrupt the timer sent before it returns,
 *       and an interrupt it already had before the call is kept (set again if the call consumed it).</li>
 *   <li>A call that ignores interrupts (a busy loop, classic socket I/O without a read timeout) cannot be stopped
 *       this way: it runs on past the timeout, and is reported as timed out when it ends. Give such calls their
 *       own timeouts (a socket or HTTP client read timeout) or make them asynchronous.</li>
 *   <li>Without {@code cancelRunningFuture} nothing is interrupted: the call runs to its end and is then reported
 *       as timed out if its time ran out meanwhile.</li>
 *   <li>An interrupt from anyone else reaches the call as usual; if the timer did not fire, the call's outcome
 *       (typically an {@link InterruptedException}) passes through unchanged.</li>
 * </ul>
 * The timeout starts no thread for synchronous calls.
 *
 * <p><b>Asynchronous calls</b> ({@link #callAsync}) block nothing: the returned stage completes with the call's
 * outcome or with {@link TimeoutExceededException} when the timer fires first. Then, when
 * {@code cancelRunningFuture}, the call's stage is completed with that {@link TimeoutExceededException} (so that a
 * policy composed inside the timeout, a circuit breaker say, records the abandoned call as a failure, not as a
 * cancellation) and cancelled with {@code cancel(true)}, as is the user's own stage where a policy in between
 * passed on a stage of its own. Without {@code cancelRunningFuture} the call's stage is left alone, and a policy
 * inside records its real outcome whenever it comes. The timer is cancelled as soon as the returned stage
 * completes.
 *
 * <p><b>Threads.</b> The timer thread only decides that a call has timed out. Completing the stages of a timed-out
 * asynchronous call (which runs their dependent stages: callbacks, fallbacks) and publishing its event happen on the
 * completion executor, in the caller's context (its deadline, and what a
 * {@link dev.resilience.spi.ContextCarrier} given to the timeout captured): by default the engine's shared
 * continuation threads (daemon threads named {@code resilience-continuation-<n>}, at most 64, shared with
 * asynchronous retries; when all are busy a completion runs on the timer thread, late rather than never); see
 * {@link #of(String, TimeoutConfig, Clock, Executor)}. So a dependent stage that blocks delays no other timeout. A
 * stage that completes in time runs its dependents on the thread that completed it, as usual.
 *
 * <p><b>Deadlines.</b> The outermost timeout of a call sets the thread's {@link dev.resilience.deadline.Deadline} for
 * the call; a timeout nested inside a deadline waits at most {@code min(timeoutDuration, time remaining)}, and one
 * whose deadline has already passed fails at once with {@link TimeoutExceededException} without running the call.
 *
 * <p>Thread-safe.
 */
public interface Timeout extends Policy {

    /** The kind string: {@value}. */
    String KIND = "timeout";

    /**
     * @param name instance name
     * @param config settings
     * @return a timeout on the system clock
     */
    static Timeout of(String name, TimeoutConfig config) {
        return of(name, config, Clock.system());
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock runs the timers and stamps events
     * @return a timeout completing timed-out asynchronous calls on the engine's shared continuation threads
     */
    static Timeout of(String name, TimeoutConfig config, Clock clock) {
        return new ScheduledTimeout(name, config, clock, ContinuationThreads.INSTANCE);
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock runs the timers and stamps events
     * @param completionExecutor completes the stages of asynchronous calls that timed out, and so runs their
     *     dependent stages; it should not run tasks on the calling (timer) thread. If it refuses a task, that
     *     call is completed on the timer thread after all. Synchronous calls never use it.
     * @return a timeout
     */
    static Timeout of(String name, TimeoutConfig config, Clock clock, Executor completionExecutor) {
        return new ScheduledTimeout(name, config, clock, Objects.requireNonNull(completionExecutor, "completionExecutor"));
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock runs the timers and stamps events
     * @param carrier carries the caller's context to where a timed-out asynchronous call is completed (on the
     *     engine's shared continuation threads), so that its dependent stages and fallbacks run in it (the caller's
     *     deadline is carried in any case)
     * @return a timeout
     */
    static Timeout of(String name, TimeoutConfig config, Clock clock, ContextCarrier carrier) {
        return new ScheduledTimeout(name, config, clock, ContinuationThreads.INSTANCE, carrier);
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock runs the timers and stamps events
     * @param completionExecutor as in {@link #of(String, TimeoutConfig, Clock, Executor)}
     * @param carrier carries the caller's context to where a timed-out asynchronous call is completed, so that its
     *     dependent stages and fallbacks run in it (the caller's deadline is carried in any case)
     * @return a timeout
     */
    static Timeout of(String name, TimeoutConfig config, Clock clock, Executor completionExecutor, ContextCarrier carrier) {
        return new ScheduledTimeout(name, config, clock, Objects.requireNonNull(completionExecutor, "completionExecutor"), carrier);
    }

    /**
     * @param name instance name
     * @return a timeout with {@link TimeoutConfig#defaults()} on the system clock
     */
    static Timeout ofDefaults(String name) {
        return of(name, TimeoutConfig.defaults());
    }

    /** @return the settings now in force (reflecting {@link #reconfigure}) */
    TimeoutConfig config();

    /**
     * Replaces the settings of this running timeout. Each call reads the settings once, as it starts: calls already
     * running keep the duration and cancellation they started with, the next call uses the new ones. Publishes
     * CONFIG_CHANGED. The config was validated when it was built, so this cannot fail half-way.
     *
     * @param config the new settings
     * @throws NullPointerException if {@code config} is null
     * @throws UnsupportedOperationException if this implementation cannot change its settings at run time (the
     *     built-in one can)
     */
    default void reconfigure(TimeoutConfig config) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot change its settings at run time");
    }

    /** @return counters of outcomes */
    TimeoutMetrics metrics();

    /** @return where to subscribe to this timeout's events */
    @Override
    Events<TimeoutEvent> events();

    /** @return {@value #KIND} */
    @Override
    default String kind() {
        return KIND;
    }
}

package dev.resilience.timeout;

import dev.resilience.Policy;
import dev.resilience.core.Clock;
import dev.resilience.core.Events;
import dev.resilience.timeout.internal.ScheduledTimeout;

import java.util.concurrent.Executor;

/**
 * Bounds how long a caller waits for a call. The timer runs on the timeout's {@link Clock}
 * ({@link Clock#schedule}), so tests with a {@link dev.resilience.core.ManualClock} drive timeouts exactly.
 *
 * <p><b>Synchronous calls</b> ({@link #call}) run on a worker thread (by default a shared cached pool of
 * daemon threads named {@code resilience-timeout-<n>}; see {@link #of(String, TimeoutConfig, Clock, Executor)})
 * while the caller waits for whichever comes first: the call's outcome (its value, or its exception rethrown
 * unchanged, checked ones included) or the timer, which gives the caller a {@link TimeoutExceededException}
 * on time, and, when {@link TimeoutConfig#cancelRunningFuture()}, interrupts the worker. A caller interrupted
 * while waiting stops waiting, interrupts the worker, gets its interrupt flag restored and a
 * {@link java.util.concurrent.CancellationException} whose cause is the {@link InterruptedException}.
 *
 * <p><b>Asynchronous calls</b> ({@link #callAsync}) block nothing: the returned stage completes with the call's
 * outcome or with {@link TimeoutExceededException} when the timer fires first (then, when
 * {@code cancelRunningFuture}, the call's future is cancelled with {@code cancel(true)}). The timer is cancelled
 * as soon as the returned stage completes.
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
     * @return a timeout on the system clock and the shared worker pool
     */
    static Timeout of(String name, TimeoutConfig config) {
        return of(name, config, Clock.system());
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock runs the timers and stamps events
     * @return a timeout using the shared worker pool for synchronous calls
     */
    static Timeout of(String name, TimeoutConfig config, Clock clock) {
        return new ScheduledTimeout(name, config, clock, null);
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock runs the timers and stamps events
     * @param executor runs synchronous calls; it must run each task on a thread other than the caller's
     *     (a caller-runs executor would make the caller wait for the call itself, defeating the timeout)
     * @return a timeout
     */
    static Timeout of(String name, TimeoutConfig config, Clock clock, Executor executor) {
        return new ScheduledTimeout(name, config, clock, java.util.Objects.requireNonNull(executor, "executor"));
    }

    /**
     * @param name instance name
     * @return a timeout with {@link TimeoutConfig#defaults()} on the system clock
     */
    static Timeout ofDefaults(String name) {
        return of(name, TimeoutConfig.defaults());
    }

    /** @return the settings */
    TimeoutConfig config();

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

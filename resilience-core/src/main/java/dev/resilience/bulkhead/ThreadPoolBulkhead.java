package dev.resilience.bulkhead;

import dev.resilience.PooledPolicy;
import dev.resilience.bulkhead.internal.ExecutorThreadPoolBulkhead;
import dev.resilience.core.Clock;
import dev.resilience.core.Events;
import dev.resilience.spi.ContextCarrier;

import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A thread-pool bulkhead: runs calls on its own bounded pool of daemon threads named
 * {@code resilience-<name>-<n>}, with a bounded queue in front. A call that finds every thread busy and the
 * queue full is rejected with {@link BulkheadFullException} (never {@link java.util.concurrent.RejectedExecutionException}).
 *
 * <p>{@link #callAsync} runs the supplier on a pool thread and returns a stage that completes with the
 * supplier's stage's outcome; rejections fail the returned stage. Cancelling the returned stage while the call is
 * queued takes it out of the queue at once (it never runs, and its slot is free for another call). {@link #call} runs the call on a pool thread
 * and waits for it; an interrupt of the waiting caller interrupts the call (or keeps it from starting),
 * restores the caller's interrupt flag and throws a {@link java.util.concurrent.CancellationException} whose
 * cause is the {@link InterruptedException}. The call's own exceptions, checked ones included, pass through unchanged.
 *
 * <p><b>Shutdown:</b> {@link #shutdown()} refuses new calls ({@link dev.resilience.ShutdownInProgressException})
 * and runs every call already accepted; {@link #shutdownNow()} interrupts running calls and fails every queued
 * call's future with {@code ShutdownInProgressException}. Either way no future stays pending.
 *
 * <p><b>Context propagation:</b> {@link #of(String, ThreadPoolBulkheadConfig, Clock, UnaryOperator)} takes a task
 * decorator applied to every task on the submitting thread, e.g. to carry MDC or other thread locals to the pool.
 * If the decorated task throws before running the call (or returns without running it), the call's future
 * completes exceptionally with that exception (a synchronous caller gets it thrown) and the thread is free again.
 *
 * <p>Thread-safe.
 */
public interface ThreadPoolBulkhead extends PooledPolicy {

    /** The kind string: {@value}. */
    String KIND = "thread-pool-bulkhead";

    /**
     * @param name instance name
     * @param config settings
     * @return a bulkhead on the system clock
     */
    static ThreadPoolBulkhead of(String name, ThreadPoolBulkheadConfig config) {
        return of(name, config, Clock.system());
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock stamps events
     * @return a bulkhead
     */
    static ThreadPoolBulkhead of(String name, ThreadPoolBulkheadConfig config, Clock clock) {
        return of(name, config, clock, UnaryOperator.identity());
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock stamps events
     * @param taskDecorator applied, on the submitting thread, to each task before it is handed to the pool
     *     (for context propagation); must not return null
     * @return a bulkhead
     */
    static ThreadPoolBulkhead of(String name, ThreadPoolBulkheadConfig config, Clock clock,
                                 UnaryOperator<Runnable> taskDecorator) {
        return new ExecutorThreadPoolBulkhead(name, config, clock, ContextCarrier.none(), taskDecorator);
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock stamps events
     * @param carrier carries the submitting caller's context to the pool thread that runs its call (its deadline is
     *     carried in any case)
     * @return a bulkhead
     */
    static ThreadPoolBulkhead of(String name, ThreadPoolBulkheadConfig config, Clock clock, ContextCarrier carrier) {
        return new ExecutorThreadPoolBulkhead(name, config, clock, carrier, UnaryOperator.identity());
    }

    /**
     * @param name instance name
     * @return a bulkhead with {@link ThreadPoolBulkheadConfig#defaults()} on the system clock
     */
    static ThreadPoolBulkhead ofDefaults(String name) {
        return of(name, ThreadPoolBulkheadConfig.defaults());
    }

    /** @return the settings now in force (reflecting {@link #reconfigure}) */
    ThreadPoolBulkheadConfig config();

    /**
     * Replaces the settings of this running bulkhead, in place, without losing a call it accepted: every call running
     * or queued still runs exactly once and completes its future.
     *
     * <ul>
     *   <li>Pool sizes: a raise starts threads for the calls queued at once (up to the new core size) and lets the pool
     *       grow to the new maximum; a cut lets the running calls finish, after which the threads above the new sizes
     *       end (so until then more calls than the new maximum may still be running: the ones started before).</li>
     *   <li>Queue capacity: a raise lets the next calls queue at once; a cut below the calls queued keeps every one of
     *       them (they still run, in order), and a new call finds the queue full, so it is rejected with
     *       {@link BulkheadFullException} unless the pool can start a thread for it, until fewer calls than the new
     *       capacity are queued. A capacity of 0 hands a call to an idle thread and queues nothing.</li>
     *   <li>Keep-alive: applies to threads idle from now on.</li>
     * </ul>
     *
     * <p>Whether the threads are virtual cannot change: a config that would change {@link
     * ThreadPoolBulkheadConfig#virtualThreads()} is refused whole, and nothing changes. Publishes CONFIG_CHANGED.
     * Reconfigurations of one bulkhead take place one at a time; calls never wait for them.
     *
     * @param config the new settings
     * @throws NullPointerException if {@code config} is null
     * @throws dev.resilience.core.InvalidConfigException naming {@code virtualThreads} if {@code config} changes it
     * @throws UnsupportedOperationException if this implementation cannot change its settings at run time (the
     *     built-in one can)
     */
    default void reconfigure(ThreadPoolBulkheadConfig config) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot change its settings at run time");
    }

    /** @return a snapshot of the pool and counters */
    ThreadPoolBulkheadMetrics metrics();

    /** @return where to subscribe to this bulkhead's events */
    @Override
    Events<ThreadPoolBulkheadEvent> events();

    /** @return {@value #KIND} */
    @Override
    default String kind() {
        return KIND;
    }

    /**
     * Stops accepting calls (new ones fail with {@link dev.resilience.ShutdownInProgressException}); calls
     * running or queued still run and complete their futures. Returns at once; idempotent.
     */
    @Override
    void shutdown();

    /**
     * Stops accepting calls, interrupts running calls and completes every queued call's future exceptionally
     * with {@link dev.resilience.ShutdownInProgressException} without running it. Returns at once; idempotent.
     */
    @Override
    void shutdownNow();

    /**
     * Waits until, after a shutdown, every accepted call has finished and the pool's threads have ended.
     *
     * @param timeout how long to wait at most
     * @return whether the pool terminated in time
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    boolean awaitTermination(Duration timeout) throws InterruptedException;

    /** @return whether {@link #shutdown()} or {@link #shutdownNow()} has been called */
    boolean isShutdown();
}

package dev.resilience.core.internal;


import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The default executor of the user continuations the policies hand off the shared timer thread: asynchronous retry
 * attempts after a backoff, asynchronous rate-limited calls started once their period opened, and the completions
 * (dependent stages, fallbacks) of asynchronous calls that timed out.
 * One pool for both, so the engine has one place where such work runs.
 *
 * <ul>
 *   <li><b>Threads:</b> daemon threads named {@code resilience-continuation-<n>}, started on demand (none until the
 *       first task) and ended after 60 s idle.</li>
 *   <li><b>Bounded:</b> at most {@value #MAX_THREADS} threads and no queue: a task never waits behind another that
 *       blocks (which a continuation should not, but may: a fallback doing I/O), up to that many at once.</li>
 *   <li><b>Saturated:</b> a task arriving while all {@value #MAX_THREADS} threads are busy runs at once on the thread
 *       that hands it over (the timer thread, usually). That delays other timers while it runs, a back-pressure
 *       that only a pile-up of blocked continuations can trigger; the alternative, failing the call or dropping its
 *       completion, would turn the engine's own capacity into a caller's failure or a caller waiting for ever.</li>
 * </ul>
 *
 * <p>Why not {@code ForkJoinPool.commonPool()} (what {@code CompletableFuture}'s {@code *Async} methods use): on a
 * machine with two cores its parallelism is 1, and {@code CompletableFuture} then starts a new thread per task,
 * without bound.
 *
 * <p>A policy takes another executor where it is built (retry: {@code RetryConfig.Builder.asyncExecutor}, timeout:
 * {@code Timeout.of(name, config, clock, executor)}, rate limiter: {@code RateLimiter.of(name, config, clock, executor)}). Thread-safe; not an API.
 */
public final class ContinuationThreads implements Executor {

    /** The most threads the pool runs at once. */
    public static final int MAX_THREADS = 64;

    /** The shared instance. */
    public static final ContinuationThreads INSTANCE = new ContinuationThreads();

    private ContinuationThreads() {
    }

    @Override
    public void execute(Runnable task) {
        Pool.EXECUTOR.execute(task);
    }

    @Override
    public String toString() {
        return "resilience-continuation threads (at most " + MAX_THREADS + ")";
    }

    /**
     * The executor to use instead when the application runs on virtual threads: each continuation starts a virtual
     * thread of its own, named {@code resilience-continuation-virtual-<n>}. No bound on the number of threads is
     * needed (a blocked virtual thread holds no platform thread), so none of the saturation above applies.
     *
     * @return the shared virtual-thread continuation executor
     * @throws UnsupportedOperationException before Java 21 ({@link VirtualThreads#available()})
     */
    public static Executor virtual() {
        if (!VirtualThreads.available()) {
            throw new UnsupportedOperationException("Virtual threads need Java 21 or newer");
        }
        return Virtual.EXECUTOR;
    }

    /** Created on first use, and only on a JVM with virtual threads. */
    private static final class Virtual implements Executor {
        static final Virtual EXECUTOR = new Virtual();

        private final ThreadFactory threads = VirtualThreads.factory("resilience-continuation-virtual");

        @Override
        public void execute(Runnable task) {
            threads.newThread(task).start();
        }

        @Override
        public String toString() {
            return "resilience-continuation virtual threads";
        }
    }

    /** Created on first use, so no thread exists until a continuation is handed over. */
    private static final class Pool {
        static final ThreadPoolExecutor EXECUTOR = new ThreadPoolExecutor(0, MAX_THREADS, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new NamedThreadFactory("resilience-continuation"),
                (task, pool) -> task.run()); // saturated: on the handing thread (see the class comment)
    }
}

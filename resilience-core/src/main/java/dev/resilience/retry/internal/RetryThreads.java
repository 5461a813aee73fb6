package dev.resilience.retry.internal;

import dev.resilience.core.NamedThreadFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The default executor of asynchronous retry attempts that follow a backoff: cached daemon threads named
 * {@code resilience-retry-<n>}, started on first use and ended after 60 s idle.
 *
 * <p>Why not {@code ForkJoinPool.commonPool()}: on a two-core machine its parallelism is 1, so one attempt that
 * blocks (though it should not) would hold up every other retry's attempts, the very thing moving attempts off the
 * timer thread is for. A cached pool gives each running attempt its own thread; attempts that do not block keep
 * it small.
 */
public final class RetryThreads implements Executor {

    /** The shared instance. */
    public static final RetryThreads INSTANCE = new RetryThreads();

    private RetryThreads() {
    }

    @Override
    public void execute(Runnable task) {
        Pool.EXECUTOR.execute(task);
    }

    @Override
    public String toString() {
        return "resilience-retry threads";
    }

    /** Started on first use, so no thread exists until an asynchronous retry backs off. */
    private static final class Pool {
        static final ThreadPoolExecutor EXECUTOR = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new NamedThreadFactory("resilience-retry"));
    }
}

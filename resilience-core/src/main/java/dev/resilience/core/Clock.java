package dev.resilience.core;

import dev.resilience.core.internal.NamedThreadFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The only source of time for every policy: monotonic time for windows and waits, wall time for event
 * timestamps, sleeping for synchronous backoffs and rate-limit waits, and scheduling for timers
 * (automatic half-open, asynchronous backoff, timeouts).
 *
 * <p>Policies never call {@link System#nanoTime()}, {@link Thread#sleep} or an executor directly, so a
 * test can pass a {@link ManualClock} and run without real waiting.
 */
public interface Clock {

    /**
     * @return monotonic time in nanoseconds, for measuring durations only (like {@link System#nanoTime()})
     */
    long nanoTime();

    /**
     * Time on the {@link #nanoTime()} scale for placing outcomes in per-second buckets and for timing calls against
     * long thresholds, where a clock read per call would cost more than the answer needs. It is never ahead of {@link #nanoTime()} but may lag it a little (the
     * system clock's lags by at most about 10 ms plus scheduling delay: a daemon thread refreshes it while it is
     * being read). Two reads of it time a duration only to within {@link #coarseResolutionNanos()}, so it suits durations
     * that are compared with a threshold far above that resolution, never exact ones. The default is
     * {@link #nanoTime()}, exact, as a test clock wants.
     *
     * @return time in nanoseconds, possibly slightly behind {@link #nanoTime()}
     */
    default long coarseNanoTime() {
        return nanoTime();
    }

    /**
     * How far {@link #coarseNanoTime()} may lag {@link #nanoTime()} in normal running: the period at which the coarse
     * time is refreshed. A policy that times a duration with the coarse time (two reads of it, each lagging by between
     * zero and this much) measures it to within this resolution, more only while the refreshing thread waits for a
     * CPU. A clock that overrides {@link #coarseNanoTime()} with a time of its own must override this too.
     *
     * @return the resolution of {@link #coarseNanoTime()} in nanoseconds; 0 (the default) when it is exact
     */
    default long coarseResolutionNanos() {
        return 0L;
    }

    /**
     * @return wall-clock time in milliseconds since the epoch, for event timestamps only
     */
    long currentTimeMillis();

    /**
     * Blocks the calling thread for the given time.
     *
     * @param nanos how long; zero or negative returns at once
     * @throws InterruptedException if the thread is interrupted while sleeping (the flag is cleared, as usual)
     */
    void sleep(long nanos) throws InterruptedException;

    /**
     * Runs a task once after a delay, on a timer thread. Tasks must be short and must not block.
     *
     * @param task what to run
     * @param delayNanos the delay
     * @return a handle to cancel the task
     */
    Scheduled schedule(Runnable task, long delayNanos);

    /**
     * Waits for a future to complete, for at most the given time on this clock: {@link CompletableFuture#get(long,
     * TimeUnit)} on this clock's time. The system clock parks the waiting thread with a timeout, involving no timer
     * thread (a synchronous call pays no timer to schedule and cancel); the default, for any other clock, ends the wait
     * with a task {@linkplain #schedule scheduled} for the timeout, so that advancing a {@link ManualClock} ends it.
     *
     * @param future what to wait for
     * @param timeoutNanos the longest wait; zero or negative: answer only if already complete
     * @param <T> the result type
     * @return the future's result
     * @throws InterruptedException if the thread is interrupted while waiting (the flag is cleared, as usual)
     * @throws ExecutionException if the future completed exceptionally (its cause unwrapped from a
     *     {@code CompletionException})
     * @throws TimeoutException if the future did not complete in time (it is left as it is)
     */
    default <T> T await(CompletableFuture<T> future, long timeoutNanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (future.isDone() || timeoutNanos <= 0) {
            return future.get(0, TimeUnit.NANOSECONDS);
        }
        CompletableFuture<T> bounded = new CompletableFuture<>();
        // Built only when the wait does time out: a wait that is answered fills no stack trace.
        AtomicReference<TimeoutException> timedOut = new AtomicReference<>();
        Scheduled timer = schedule(() -> {
            TimeoutException timeout = new TimeoutException("no answer within " + timeoutNanos + " ns");
            timedOut.set(timeout);
            bounded.completeExceptionally(timeout);
        }, timeoutNanos);
        future.whenComplete((result, failure) -> {
            if (failure == null) {
                bounded.complete(result);
            } else {
                bounded.completeExceptionally(failure);
            }
        });
        try {
            return bounded.get();
        } catch (ExecutionException e) {
            TimeoutException timeout = timedOut.get();
            if (timeout != null && e.getCause() == timeout) {
                throw timeout;
            }
            throw e;
        } finally {
            timer.cancel();
        }
    }

    /**
     * @return the real clock: {@link System#nanoTime()}, {@link System#currentTimeMillis()} and one shared
     *     daemon timer thread, started on first use
     */
    static Clock system() {
        return SystemClock.INSTANCE;
    }

    /** The real clock. */
    final class SystemClock implements Clock {

        static final SystemClock INSTANCE = new SystemClock();

        private SystemClock() {
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        /** The time of the last tick of a daemon thread that runs while this is read (see {@link CoarseTicker}). */
        @Override
        public long coarseNanoTime() {
            return CoarseTicker.INSTANCE.nanoTime();
        }

        /** @return the period of the daemon thread that refreshes the coarse time: 10 ms */
        @Override
        public long coarseResolutionNanos() {
            return CoarseTicker.TICK_NANOS;
        }

        @Override
        public long currentTimeMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            long deadline = System.nanoTime() + nanos;
            long remaining = nanos;
            // parkNanos may return early (spurious wake-up, unpark); loop until the time has passed.
            while (remaining > 0) {
                LockSupport.parkNanos(this, remaining);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                remaining = deadline - System.nanoTime();
            }
        }

        /** Parks the caller with a timeout: no timer task, no timer thread woken. */
        @Override
        public <T> T await(CompletableFuture<T> future, long timeoutNanos)
                throws InterruptedException, ExecutionException, TimeoutException {
            return future.get(Math.max(0L, timeoutNanos), TimeUnit.NANOSECONDS);
        }

        @Override
        public Scheduled schedule(Runnable task, long delayNanos) {
            java.util.concurrent.ScheduledFuture<?> future =
                    Timer.EXECUTOR.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        }

        /** Lazily started, so the timer thread exists only once something is scheduled. */
        private static final class Timer {
            static final ScheduledThreadPoolExecutor EXECUTOR = create();

            private static ScheduledThreadPoolExecutor create() {
                ScheduledThreadPoolExecutor executor =
                        new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("resilience-timer"));
                executor.setRemoveOnCancelPolicy(true);
                return executor;
            }
        }
    }
}

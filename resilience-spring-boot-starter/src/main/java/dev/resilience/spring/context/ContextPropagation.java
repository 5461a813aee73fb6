package dev.resilience.spring.context;

import dev.resilience.core.Clock;
import dev.resilience.core.NamedThreadFactory;
import org.springframework.util.ClassUtils;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The hooks the registries use to carry the caller's context to the threads a call continues on. Each hook is
 * a no-op when {@code io.micrometer:context-propagation} is absent, so the library stays optional.
 *
 * <p>Thread-safe: stateless apart from the lazily started timeout worker pool.
 */
public final class ContextPropagation {

    private static final boolean AVAILABLE = ClassUtils.isPresent("io.micrometer.context.ContextSnapshotFactory",
            ContextPropagation.class.getClassLoader());

    private ContextPropagation() {
    }

    /** @return whether context-propagation is on the classpath, so that the hooks here propagate */
    public static boolean isAvailable() {
        return AVAILABLE;
    }

    /**
     * @return a thread-pool bulkhead task decorator that captures the context on the submitting thread and
     *     restores it around the task on the pool thread; the identity without context-propagation
     */
    public static UnaryOperator<Runnable> taskDecorator() {
        return AVAILABLE ? task -> ContextSnapshots.wrap(task) : UnaryOperator.identity();
    }

    /**
     * Wraps a clock so that tasks it schedules (asynchronous retry attempts, timeouts) run in the context of the
     * thread that scheduled them.
     *
     * <p>A wrapped system clock is no longer recognised as the system clock, so a synchronous retry backoff
     * waits in short slices instead of one park: stopping it at shutdown may take up to one slice (10 ms) longer.
     *
     * @param clock the clock to wrap
     * @return the wrapping clock; {@code clock} itself without context-propagation
     */
    public static Clock clock(Clock clock) {
        return AVAILABLE ? new ContextPropagatingClock(clock) : clock;
    }

    /**
     * @return an executor for synchronous timeout workers that runs each call in the caller's context: cached
     *     daemon threads named {@code resilience-timeout-ctx-<n>}, ending after 60 s idle
     * @throws IllegalStateException without context-propagation (use the timeout's default workers then)
     */
    public static Executor timeoutExecutor() {
        if (!AVAILABLE) {
            throw new IllegalStateException("io.micrometer:context-propagation is not on the classpath");
        }
        return TimeoutWorkers.EXECUTOR;
    }

    /** The shared timeout worker pool, started on first use. */
    private static final class TimeoutWorkers {
        private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new NamedThreadFactory("resilience-timeout-ctx"));
        static final Executor EXECUTOR = task -> POOL.execute(ContextSnapshots.wrap(task));
    }
}

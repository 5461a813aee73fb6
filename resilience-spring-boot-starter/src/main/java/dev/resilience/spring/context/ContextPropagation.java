package dev.resilience.spring.context;

import dev.resilience.core.Clock;
import org.springframework.util.ClassUtils;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * The hooks the registries use to carry the caller's context to the threads a call continues on. Each hook is
 * a no-op when {@code io.micrometer:context-propagation} is absent, so the library stays optional.
 *
 * <p>Thread-safe and stateless.
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
     * @return an executor for the completions of asynchronous calls that timed out, which runs each completion (and
     *     so the call's dependent stages and fallback) in the context of the thread that handed it over: the timer
     *     of a {@link #clock(Clock) wrapped clock}, which runs in the caller's context. It runs them where
     *     {@link CompletableFuture}'s {@code *Async} methods do by default.
     * @throws IllegalStateException without context-propagation (use the timeout's default executor then)
     */
    public static Executor timeoutCompletionExecutor() {
        if (!AVAILABLE) {
            throw new IllegalStateException("io.micrometer:context-propagation is not on the classpath");
        }
        return TimeoutCompletions.EXECUTOR;
    }

    /** Created on first use, so that the class loads only with context-propagation present. */
    private static final class TimeoutCompletions {
        private static final Executor ASYNC = new CompletableFuture<Void>().defaultExecutor();
        static final Executor EXECUTOR = task -> ASYNC.execute(ContextSnapshots.wrap(task));
    }
}

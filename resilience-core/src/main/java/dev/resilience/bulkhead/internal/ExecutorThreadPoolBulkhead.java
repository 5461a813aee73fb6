package dev.resilience.bulkhead.internal;

import dev.resilience.ShutdownInProgressException;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadConfig;
import dev.resilience.bulkhead.ThreadPoolBulkheadEvent;
import dev.resilience.bulkhead.ThreadPoolBulkheadMetrics;
import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Clock;
import dev.resilience.core.internal.Durations;
import dev.resilience.core.EventPublisher;
import dev.resilience.core.Events;
import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.Invoker;
import dev.resilience.core.internal.NamedThreadFactory;
import dev.resilience.core.internal.PolicySupport;
import dev.resilience.core.internal.VirtualThreads;
import dev.resilience.core.ThrowingSupplier;
import dev.resilience.core.internal.Throwables;
import dev.resilience.core.internal.CallerContext;
import dev.resilience.deadline.Deadline;
import dev.resilience.spi.ContextCarrier;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The {@link ThreadPoolBulkhead} implementation: a {@link ThreadPoolExecutor} with a bounded
 * {@link ResizableTaskQueue} (a hand-off for capacity 0) and an aborting rejection policy,
 * whose {@link RejectedExecutionException} is turned into {@link BulkheadFullException} (or, once shut down,
 * {@link ShutdownInProgressException}). {@link #reconfigure} changes the executor's sizes and the queue's capacity in
 * place, so no accepted call is lost.
 *
 * <p>Each submitted task is wrapped in an {@link Envelope} around the decorated task, so that
 * {@link #shutdownNow()} can find every queued call in the executor's drained list and fail its future.
 * Each task captures the submitting caller's context (its {@link Deadline} and what the {@link ContextCarrier}
 * captures, see {@link CallerContext}) and restores it on the pool thread while it runs.
 *
 * <p>The task decorator is user code on the pool thread: if the runnable it returned throws before running the
 * call, or returns without running it, the envelope completes the call's future exceptionally (with that
 * exception) and the pool thread carries on, so no caller waits for ever and the thread or queue slot comes back.
 */
public final class ExecutorThreadPoolBulkhead extends PolicySupport implements ThreadPoolBulkhead {

    private final String name;
    private volatile ThreadPoolBulkheadConfig config;
    /** Taken by reconfigurations only, never by a call: one change of the pool's sizes at a time. */
    private final ReentrantLock reconfiguring = new ReentrantLock();
    private final ResizableTaskQueue queue;
    private final Clock clock;
    private final ContextCarrier carrier;
    private final UnaryOperator<Runnable> taskDecorator;
    private final ThreadPoolExecutor executor;
    private final LongAdder permitted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final EventPublisher<ThreadPoolBulkheadEvent> events = new EventPublisher<>();

    /**
     * @param name instance name
     * @param config settings
     * @param clock stamps events
     * @param carrier carries the submitting caller's context to the pool thread
     * @param taskDecorator applied to each task on the submitting thread
     */
    public ExecutorThreadPoolBulkhead(String name, ThreadPoolBulkheadConfig config, Clock clock,
                                      ContextCarrier carrier, UnaryOperator<Runnable> taskDecorator) {
        this.carrier = Objects.requireNonNull(carrier, "carrier");
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.taskDecorator = Objects.requireNonNull(taskDecorator, "taskDecorator");
        this.queue = new ResizableTaskQueue(config.queueCapacity());
        this.executor = new ThreadPoolExecutor(config.coreThreadPoolSize(), config.maxThreadPoolSize(),
                Durations.saturatedNanos(config.keepAliveDuration()), TimeUnit.NANOSECONDS, queue,
                config.virtualThreads() ? VirtualThreads.factory("resilience-" + name) : new NamedThreadFactory("resilience-" + name),
                new ThreadPoolExecutor.AbortPolicy());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ThreadPoolBulkheadConfig config() {
        return config;
    }

    @Override
    public void reconfigure(ThreadPoolBulkheadConfig newConfig) {
        Objects.requireNonNull(newConfig, "config");
        ThreadPoolBulkheadConfig old;
        reconfiguring.lock();
        try {
            old = config;
            if (newConfig.virtualThreads() != old.virtualThreads()) {
                throw new InvalidConfigException("virtualThreads", newConfig.virtualThreads(), old.virtualThreads()
                        + " (whether the threads of thread-pool bulkhead '" + name + "' are virtual cannot change at run time)");
            }
            // The executor refuses a core size above its maximum and a maximum below its core size at every step:
            // raise the maximum first when the new core size needs it, else set the core size first.
            if (newConfig.coreThreadPoolSize() > executor.getMaximumPoolSize()) {
                executor.setMaximumPoolSize(newConfig.maxThreadPoolSize());
                executor.setCorePoolSize(newConfig.coreThreadPoolSize());
            } else {
                executor.setCorePoolSize(newConfig.coreThreadPoolSize());
                executor.setMaximumPoolSize(newConfig.maxThreadPoolSize());
            }
            executor.setKeepAliveTime(Durations.saturatedNanos(newConfig.keepAliveDuration()), TimeUnit.NANOSECONDS);
            queue.capacity(newConfig.queueCapacity());
            config = newConfig;
        } finally {
            reconfiguring.unlock();
        }
        if (events.hasListeners()) {
            events.publish(new ThreadPoolBulkheadEvent(name, ThreadPoolBulkheadEvent.Type.CONFIG_CHANGED,
                    clock.currentTimeMillis(), Map.of("from", old.toString(), "to", newConfig.toString())));
        }
    }

    @Override
    public Events<ThreadPoolBulkheadEvent> events() {
        return events;
    }

    @Override
    public ThreadPoolBulkheadMetrics metrics() {
        ThreadPoolBulkheadConfig settings = config;
        return new ThreadPoolBulkheadMetrics(settings.coreThreadPoolSize(), settings.maxThreadPoolSize(),
                executor.getPoolSize(), executor.getActiveCount(), settings.queueCapacity(), queue.size(),
                queue.remainingCapacity(), permitted.sum(), rejected.sum());
    }

    @Override
    public String toString() {
        return "ThreadPoolBulkhead[" + name + ", " + config + "]";
    }

    // ---------------------------------------------------------------------------------------------
    // Calls

    @Override
    public Invoker decorate(Invoker next) {
        Objects.requireNonNull(next, "next");
        return (call, runner) -> {
            SyncTask task = new SyncTask(next, call, runner, CallerContext.capture(carrier));
            Envelope envelope = submit(task);
            try {
                return task.get();
            } catch (ExecutionException e) {
                throw e.getCause();
            } catch (InterruptedException e) {
                task.cancel(true);
                executor.remove(envelope); // still queued: its slot is free at once
                Thread.currentThread().interrupt();
                CancellationException cancelled = new CancellationException("The caller of thread-pool bulkhead '" + name
                        + "' was interrupted while waiting; the call was cancelled");
                cancelled.initCause(e);
                throw cancelled;
            }
        };
    }

    @Override
    public AsyncInvoker decorateAsync(AsyncInvoker next) {
        Objects.requireNonNull(next, "next");
        return call -> {
            AsyncTask task = new AsyncTask(next, call, CallerContext.capture(carrier));
            Envelope envelope;
            try {
                envelope = submit(task);
            } catch (RuntimeException rejection) {
                return CompletableFuture.failedFuture(rejection);
            }
            // A call cancelled while queued leaves the queue at once (it would never run, but would hold its slot
            // until a thread came to it).
            task.result.whenComplete((value, failure) -> {
                if (task.result.isCancelled() && !task.started()) {
                    executor.remove(envelope);
                }
            });
            return task.result;
        };
    }

    /** @return what the executor holds for {@code task} */
    private Envelope submit(PoolTask task) {
        if (executor.isShutdown()) {
            throw new ShutdownInProgressException(name);
        }
        Runnable decorated = Objects.requireNonNull(taskDecorator.apply(task), "the task decorator returned null");
        Envelope envelope = new Envelope(task, decorated);
        try {
            executor.execute(envelope);
        } catch (RejectedExecutionException e) {
            if (executor.isShutdown()) {
                throw new ShutdownInProgressException(name);
            }
            rejected.increment();
            if (events.hasListeners()) {
                events.publish(new ThreadPoolBulkheadEvent(name, ThreadPoolBulkheadEvent.Type.CALL_REJECTED, clock.currentTimeMillis()));
            }
            ThreadPoolBulkheadConfig settings = config;
            throw new BulkheadFullException(name, "Thread-pool bulkhead '" + name + "' is full: all "
                    + settings.maxThreadPoolSize() + " threads are busy and its queue of " + settings.queueCapacity()
                    + " is full", ThreadPoolBulkhead.KIND);
        }
        permitted.increment();
        if (events.hasListeners()) {
            events.publish(new ThreadPoolBulkheadEvent(name, ThreadPoolBulkheadEvent.Type.CALL_PERMITTED, clock.currentTimeMillis()));
        }
        return envelope;
    }

    /** A call accepted by the pool, whose future can be failed if it is never run. */
    private interface PoolTask extends Runnable {
        /** Completes the call's future exceptionally, unless it is already complete. */
        void reject(Throwable reason);

        /** @return whether {@link #run()} has begun (the call's outcome then completes its future) */
        boolean started();
    }

    /** What the executor holds: the decorated task, plus the task itself for {@link #shutdownNow()}. */
    private final class Envelope implements Runnable {
        final PoolTask task;
        final Runnable decorated;

        Envelope(PoolTask task, Runnable decorated) {
            this.task = task;
            this.decorated = decorated;
        }

        @Override
        public void run() {
            try {
                decorated.run();
            } catch (Throwable failure) {
                if (task.started()) {
                    throw failure; // the call ran and completes its own future; the decorator failed afterwards
                }
                // The decorator failed before running the call (a context it could not restore, say): the call's
                // future gets its exception, and this thread goes back to the pool instead of dying with it.
                task.reject(failure);
            } finally {
                if (!task.started()) {
                    task.reject(new IllegalStateException("The task decorator of thread-pool bulkhead '" + name
                            + "' returned without running the call"));
                }
                if (events.hasListeners()) {
                    events.publish(new ThreadPoolBulkheadEvent(name, ThreadPoolBulkheadEvent.Type.CALL_FINISHED, clock.currentTimeMillis()));
                }
            }
        }
    }

    /** A synchronous call: a {@link FutureTask}, so cancelling it interrupts only this call's run. */
    private static final class SyncTask extends FutureTask<Object> implements PoolTask {
        private volatile boolean started;

        SyncTask(Invoker next, Object call, Invoker.Runner runner, CallerContext caller) {
            super(() -> caller.call(() -> {
                try {
                    return next.invoke(call, runner);
                } catch (Throwable t) {
                    throw Throwables.<RuntimeException>sneakyThrow(t);
                }
            }));
        }

        @Override
        public void run() {
            started = true;
            super.run();
        }

        @Override
        public boolean started() {
            return started;
        }

        @Override
        public void reject(Throwable reason) {
            setException(reason);
        }
    }

    /** An asynchronous call: runs the supplier on the pool and forwards its stage's outcome. */
    private static final class AsyncTask implements PoolTask {
        final CompletableFuture<Object> result = new CompletableFuture<>();
        private final AsyncInvoker next;
        private final Supplier<? extends CompletionStage<?>> call;
        private final CallerContext caller;
        private volatile boolean started;

        AsyncTask(AsyncInvoker next, Supplier<? extends CompletionStage<?>> call, CallerContext caller) {
            this.next = next;
            this.call = call;
            this.caller = caller;
        }

        @Override
        public boolean started() {
            return started;
        }

        @Override
        public void run() {
            started = true;
            if (result.isDone()) {
                return; // cancelled by the caller while queued
            }
            caller.run(this::start);
        }

        private void start() {
            try {
                CompletionStage<?> stage = next.invoke(call);
                if (stage == null) {
                    result.completeExceptionally(new NullPointerException("the asynchronous call returned null instead of a CompletionStage"));
                    return;
                }
                stage.whenComplete((v, t) -> {
                    if (t != null) {
                        result.completeExceptionally(t);
                    } else {
                        result.complete(v);
                    }
                });
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }

        @Override
        public void reject(Throwable reason) {
            result.completeExceptionally(reason);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Shutdown

    @Override
    public void shutdown() {
        executor.shutdown();
    }

    @Override
    public void shutdownNow() {
        List<Runnable> neverRun = executor.shutdownNow();
        for (Runnable runnable : neverRun) {
            if (runnable instanceof Envelope envelope) {
                envelope.task.reject(new ShutdownInProgressException(name));
            }
        }
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return executor.awaitTermination(Durations.saturatedNanos(timeout), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean isShutdown() {
        return executor.isShutdown();
    }
}

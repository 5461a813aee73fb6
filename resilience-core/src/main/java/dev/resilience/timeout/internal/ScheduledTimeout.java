package dev.resilience.timeout.internal;

import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Clock;
import dev.resilience.core.Durations;
import dev.resilience.core.EventPublisher;
import dev.resilience.core.Events;
import dev.resilience.core.Invoker;
import dev.resilience.core.NamedThreadFactory;
import dev.resilience.core.PolicySupport;
import dev.resilience.core.Scheduled;
import dev.resilience.deadline.Deadline;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import dev.resilience.timeout.TimeoutEvent;
import dev.resilience.timeout.TimeoutExceededException;
import dev.resilience.timeout.TimeoutMetrics;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@link Timeout} implementation.
 *
 * <p>Synchronous: the call runs as a {@link Worker} on the executor; the worker is a
 * {@link CompletableFuture} completed exactly once by whichever comes first: the worker with the call's
 * outcome, or the clock's timer with a {@link TimeoutExceededException}. The caller just waits on it, so the
 * timeout is delivered on time even while the call keeps running, and a {@link dev.resilience.core.ManualClock}
 * drives it deterministically. Interrupting the worker follows {@link java.util.concurrent.FutureTask}'s
 * protocol, so an interrupt meant for one call never hits the next task run by the same pool thread.
 *
 * <p>Deadlines: a call made without a {@link Deadline} gets one {@code timeoutDuration} from now; a call made
 * inside one waits {@code min(timeoutDuration, remaining)} and keeps the outer deadline. The call runs with that
 * deadline installed (on the worker thread for synchronous calls, around obtaining the stage for asynchronous
 * ones), so nested policies see the time left. A call whose deadline has already passed does not run at all.
 */
public final class ScheduledTimeout extends PolicySupport implements Timeout {

    private final String name;
    private final TimeoutConfig config;
    private final Clock clock;
    private final Executor executor;
    private final long timeoutNanos;
    private final boolean cancelRunningFuture;
    private final LongAdder successful = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final EventPublisher<TimeoutEvent> events = new EventPublisher<>();

    /**
     * @param name instance name
     * @param config settings
     * @param clock runs timers and stamps events
     * @param executor runs synchronous calls, or null for the shared pool of {@code resilience-timeout-<n>} daemon threads
     */
    public ScheduledTimeout(String name, TimeoutConfig config, Clock clock, Executor executor) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = executor;
        this.timeoutNanos = Durations.saturatedNanos(config.timeoutDuration());
        this.cancelRunningFuture = config.cancelRunningFuture();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TimeoutConfig config() {
        return config;
    }

    @Override
    public TimeoutMetrics metrics() {
        return new TimeoutMetrics(successful.sum(), failed.sum(), timedOut.sum());
    }

    @Override
    public Events<TimeoutEvent> events() {
        return events;
    }

    @Override
    public String toString() {
        return "Timeout[" + name + ", " + config + "]";
    }

    private Executor executor() {
        return executor != null ? executor : SharedWorkers.EXECUTOR;
    }

    /** The default worker pool, started on first use: cached daemon threads that end after 60 s idle. */
    private static final class SharedWorkers {
        static final ThreadPoolExecutor EXECUTOR = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new NamedThreadFactory("resilience-timeout"));
    }

    // ---------------------------------------------------------------------------------------------
    // Synchronous

    @Override
    public Invoker decorate(Invoker next) {
        Objects.requireNonNull(next, "next");
        return (call, runner) -> {
            Deadline outer = Deadline.currentOrNull();
            long waitNanos = timeoutNanos;
            Deadline deadline;
            if (outer != null && outer.remainingNanos() <= timeoutNanos) {
                deadline = outer;
                waitNanos = outer.remainingNanos();
                if (waitNanos <= 0) {
                    timedOut.increment();
                    publish(TimeoutEvent.Type.TIMEOUT, null);
                    throw new TimeoutExceededException(name, Duration.ZERO);
                }
            } else {
                deadline = Deadline.afterNanos(timeoutNanos, clock);
            }
            Worker worker = new Worker(next, call, runner, deadline, waitNanos);
            Scheduled timer = clock.schedule(worker::onTimeout, waitNanos);
            Object outcome;
            try {
                try {
                    executor().execute(worker);
                } catch (RuntimeException | Error refused) {
                    worker.complete(new Failure(refused)); // nobody will run it
                    throw refused;
                }
                outcome = worker.get();
            } catch (InterruptedException e) {
                if (worker.complete(new Failure(e))) {
                    worker.cancelRun();
                }
                Thread.currentThread().interrupt();
                CancellationException cancelled = new CancellationException("The caller of timeout '" + name
                        + "' was interrupted while waiting; the call was cancelled");
                cancelled.initCause(e);
                throw cancelled;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e); // never completed exceptionally
            } finally {
                timer.cancel();
            }
            // Counted and published here, on the caller's thread, once the outcome is decided: so the metrics
            // already include this call when the caller sees its outcome.
            if (outcome instanceof Failure failure) {
                if (failure.timedOut) {
                    timedOut.increment();
                    publish(TimeoutEvent.Type.TIMEOUT, null);
                } else {
                    failed.increment();
                    publish(TimeoutEvent.Type.ERROR, failure.cause);
                }
                throw failure.cause;
            }
            successful.increment();
            publish(TimeoutEvent.Type.SUCCESS, null);
            return outcome;
        };
    }

    /** A failed outcome, so that the call's exception is handed over without any unwrapping. */
    private record Failure(Throwable cause, boolean timedOut) {
        Failure(Throwable cause) {
            this(cause, false);
        }
    }

    /** One synchronous call: runs on a worker thread; completed once by itself, the timer, or the caller. */
    private final class Worker extends CompletableFuture<Object> implements Runnable {
        private static final int NEW = 0;
        private static final int RUNNING = 1;
        private static final int DONE = 2;
        private static final int INTERRUPTING = 3;
        private static final int INTERRUPTED = 4;
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<Worker> STATE =
                AtomicIntegerFieldUpdater.newUpdater(Worker.class, "state");

        private final Invoker next;
        private final Object call;
        private final Invoker.Runner callRunner;
        private final Deadline deadline;
        private final long waitNanos;
        private volatile int state;
        private volatile Thread runner;

        Worker(Invoker next, Object call, Invoker.Runner callRunner, Deadline deadline, long waitNanos) {
            this.next = next;
            this.call = call;
            this.callRunner = callRunner;
            this.deadline = deadline;
            this.waitNanos = waitNanos;
        }

        @Override
        public void run() {
            runner = Thread.currentThread();
            if (isDone() || !STATE.compareAndSet(this, NEW, RUNNING)) {
                runner = null;
                return; // timed out or cancelled before it started: the call does not run
            }
            Deadline previous = Deadline.replace(deadline);
            try {
                complete(next.invoke(call, callRunner));
            } catch (Throwable t) {
                complete(new Failure(t));
            } finally {
                Deadline.replace(previous);
                if (!STATE.compareAndSet(this, RUNNING, DONE)) {
                    // Someone is interrupting this call: let them finish, then clear the interrupt so that it
                    // cannot leak into whatever this thread runs next.
                    while (state == INTERRUPTING) {
                        Thread.onSpinWait();
                    }
                    Thread.interrupted();
                }
                runner = null;
            }
        }

        /** The timer: the caller gets the timeout now; the call is interrupted if so configured. */
        void onTimeout() {
            if (complete(new Failure(new TimeoutExceededException(name, limit(waitNanos)), true))) {
                if (cancelRunningFuture) {
                    cancelRun();
                }
            }
        }

        /** Keeps the call from starting, or interrupts it while it runs; never interrupts anything else. */
        void cancelRun() {
            if (STATE.compareAndSet(this, NEW, DONE)) {
                return;
            }
            if (STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
                try {
                    Thread t = runner;
                    if (t != null) {
                        t.interrupt();
                    }
                } finally {
                    state = INTERRUPTED;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Asynchronous

    @Override
    public AsyncInvoker decorateAsync(AsyncInvoker next) {
        Objects.requireNonNull(next, "next");
        return call -> {
            Deadline outer = Deadline.currentOrNull();
            long waitNanos = timeoutNanos;
            Deadline deadline;
            if (outer != null && outer.remainingNanos() <= timeoutNanos) {
                deadline = outer;
                waitNanos = outer.remainingNanos();
                if (waitNanos <= 0) {
                    timedOut.increment();
                    publish(TimeoutEvent.Type.TIMEOUT, null);
                    return CompletableFuture.failedFuture(new TimeoutExceededException(name, Duration.ZERO));
                }
            } else {
                deadline = Deadline.afterNanos(timeoutNanos, clock);
            }
            long limitNanos = waitNanos;
            CompletionStage<?> stage;
            Deadline previous = Deadline.replace(deadline);
            try {
                stage = next.invoke(call);
            } catch (Throwable t) {
                return CompletableFuture.failedFuture(t);
            } finally {
                Deadline.replace(previous);
            }
            if (stage == null) {
                return CompletableFuture.failedFuture(new NullPointerException("the asynchronous call returned null instead of a CompletionStage"));
            }
            CompletableFuture<Object> result = new CompletableFuture<>();
            // Decides the outcome once (timer, stage or the caller's cancellation), before completing the
            // result, so that metrics and events already include the call when its result is seen.
            AtomicBoolean decided = new AtomicBoolean();
            Scheduled timer = clock.schedule(() -> {
                if (decided.compareAndSet(false, true)) {
                    timedOut.increment();
                    publish(TimeoutEvent.Type.TIMEOUT, null);
                    result.completeExceptionally(new TimeoutExceededException(name, limit(limitNanos)));
                    if (cancelRunningFuture) {
                        cancel(stage);
                    }
                }
            }, waitNanos);
            stage.whenComplete((value, failure) -> {
                if (decided.compareAndSet(false, true)) {
                    if (failure == null) {
                        successful.increment();
                        publish(TimeoutEvent.Type.SUCCESS, null);
                        result.complete(value);
                    } else {
                        failed.increment();
                        publish(TimeoutEvent.Type.ERROR, failure);
                        result.completeExceptionally(failure);
                    }
                }
            });
            result.whenComplete((value, failure) -> {
                timer.cancel();
                if (result.isCancelled() && decided.compareAndSet(false, true) && cancelRunningFuture) {
                    cancel(stage); // the caller gave up: so does the call
                }
            });
            return result;
        };
    }

    /** The limit a timed-out call exceeded: the configured duration, or the shorter time its deadline left. */
    private Duration limit(long waitNanos) {
        return waitNanos == timeoutNanos ? config.timeoutDuration() : Duration.ofNanos(waitNanos);
    }

    private static void cancel(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException ignored) {
            // a stage that cannot be converted cannot be cancelled either
        }
    }

    private void publish(TimeoutEvent.Type type, Throwable error) {
        if (events.hasListeners()) {
            events.publish(new TimeoutEvent(name, type, clock.currentTimeMillis(), error));
        }
    }
}

package dev.resilience.timeout.internal;

import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Clock;
import dev.resilience.core.internal.Durations;
import dev.resilience.core.EventPublisher;
import dev.resilience.core.Events;
import dev.resilience.core.Invoker;
import dev.resilience.core.internal.PolicySupport;
import dev.resilience.core.Scheduled;
import dev.resilience.core.internal.CallerContext;
import dev.resilience.deadline.Deadline;
import dev.resilience.spi.ContextCarrier;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import dev.resilience.timeout.TimeoutEvent;
import dev.resilience.timeout.TimeoutExceededException;
import dev.resilience.timeout.TimeoutMetrics;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The {@link Timeout} implementation.
 *
 * <p>Synchronous: the call runs on the caller's own thread; the clock's timer interrupts that thread at the
 * deadline. A {@link SyncCall} is the small state machine that keeps the interrupt from outliving the call: the
 * caller, on its way out, either finishes the call before the timer has fired (the timer then sends nothing), or
 * finds the timer has fired and waits for its interrupt to be delivered, so that it can clear it.
 *
 * <p>Asynchronous: the timer decides (counts) on its own thread and hands everything that can run user code
 * (abandoning the call's stage, completing the caller's stage, publishing the event) to the completion executor, where
 * it runs in the caller's context ({@link CallerContext}: the deadline the caller had, not the one this timeout set
 * for the call, and what the {@link ContextCarrier} captured).
 *
 * <p>Deadlines: a call made without a {@link Deadline} gets one {@code timeoutDuration} from now; a call made
 * inside one waits {@code min(timeoutDuration, remaining)} and keeps the outer deadline. The call runs with that
 * deadline installed (around the call for synchronous calls, around obtaining the stage for asynchronous ones),
 * so nested policies see the time left. A call whose deadline has already passed does not run at all.
 */
public final class ScheduledTimeout extends PolicySupport implements Timeout {

    /**
     * The longest delay handed to the clock (about 73 years, as {@link Deadline} bounds its own): "never", without
     * inviting a clock to overflow when it adds the delay to its current time.
     */
    private static final long MAX_TIMER_NANOS = Long.MAX_VALUE / 4;

    private final String name;
    /** The settings in force, read once by each call as it starts; replaced whole by {@link #reconfigure}. */
    private volatile Settings settings;
    /** Serialises reconfigurations (a lock, not a monitor: never held by a call, and virtual-thread friendly). */
    private final java.util.concurrent.locks.ReentrantLock reconfiguring = new java.util.concurrent.locks.ReentrantLock();
    private final Clock clock;
    private final Executor completions;
    private final ContextCarrier carrier;
    private final LongAdder successful = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final EventPublisher<TimeoutEvent> events = new EventPublisher<>();

    /**
     * @param name instance name
     * @param config settings
     * @param clock runs timers and stamps events
     * @param completions completes the stages of asynchronous calls that timed out, off the timer thread
     */
    public ScheduledTimeout(String name, TimeoutConfig config, Clock clock, Executor completions) {
        this(name, config, clock, completions, ContextCarrier.none());
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock runs timers and stamps events
     * @param completions completes the stages of asynchronous calls that timed out, off the timer thread
     * @param carrier carries the caller's context to where a timed-out call is completed
     */
    public ScheduledTimeout(String name, TimeoutConfig config, Clock clock, Executor completions, ContextCarrier carrier) {
        this.carrier = Objects.requireNonNull(carrier, "carrier");
        this.name = Objects.requireNonNull(name, "name");
        this.settings = new Settings(Objects.requireNonNull(config, "config"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.completions = Objects.requireNonNull(completions, "completions");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TimeoutConfig config() {
        return settings.config;
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
        return "Timeout[" + name + ", " + settings.config + "]";
    }

    /** A call already started keeps the settings it started with; the next one reads the new ones. */
    @Override
    public void reconfigure(TimeoutConfig config) {
        Settings next = new Settings(Objects.requireNonNull(config, "config"));
        Settings previous;
        reconfiguring.lock(); // reconfigurations only, never a call: pairs each swap with the settings it replaced
        try {
            previous = settings;
            settings = next;
        } finally {
            reconfiguring.unlock();
        }
        if (events.hasListeners()) {
            events.publish(new TimeoutEvent(name, TimeoutEvent.Type.CONFIG_CHANGED, clock.currentTimeMillis(), null,
                    java.util.Map.of("from", previous.config.toString(), "to", config.toString())));
        }
    }

    /** One config with what calls derive from it, so that a call sees one config whole. */
    private static final class Settings {
        final TimeoutConfig config;
        final long timeoutNanos;
        final boolean cancelRunningFuture;

        Settings(TimeoutConfig config) {
            this.config = config;
            this.timeoutNanos = Math.min(Durations.saturatedNanos(config.timeoutDuration()), MAX_TIMER_NANOS);
            this.cancelRunningFuture = config.cancelRunningFuture();
        }

        /**
         * @param outer the caller's deadline, or null
         * @return how long this call may take: the timeout, or the shorter time the caller's deadline leaves
         */
        long waitNanos(Deadline outer) {
            return outer != null ? Math.min(outer.remainingNanos(), timeoutNanos) : timeoutNanos;
        }

        /** The limit a timed-out call exceeded: the configured duration, or the shorter time its deadline left. */
        Duration limit(long waitNanos) {
            return waitNanos == timeoutNanos ? config.timeoutDuration() : Duration.ofNanos(waitNanos);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Synchronous

    @Override
    public Invoker decorate(Invoker next) {
        Objects.requireNonNull(next, "next");
        return (call, runner) -> {
            Settings s = settings;
            Deadline outer = Deadline.currentOrNull();
            long waitNanos = s.waitNanos(outer);
            if (waitNanos <= 0) {
                throw expiredBeforeStart();
            }
            Deadline deadline = outer != null && waitNanos < s.timeoutNanos ? outer : Deadline.afterNanos(waitNanos, clock);
            Thread caller = Thread.currentThread();
            boolean interruptedBefore = caller.isInterrupted();
            SyncCall timing = new SyncCall(caller, s.cancelRunningFuture);
            Scheduled timer = clock.schedule(timing, waitNanos);
            Object value = null;
            Throwable failure = null;
            Deadline previous = Deadline.replace(deadline);
            try {
                value = next.invoke(call, runner);
            } catch (Throwable t) {
                failure = t;
            } finally {
                Deadline.replace(previous);
            }
            boolean expired = timing.finish();
            timer.cancel();
            // Counted and published here, on the caller's thread, once the outcome is decided: so the metrics
            // already include this call when the caller sees its outcome.
            if (expired) {
                if (timing.state == SyncCall.INTERRUPTED) {
                    // Our interrupt: clear it, but keep one the caller already had (the call may have consumed it).
                    Thread.interrupted();
                    if (interruptedBefore) {
                        caller.interrupt();
                    }
                }
                timedOut.increment();
                publish(TimeoutEvent.Type.TIMEOUT, null);
                throw new TimeoutExceededException(name, s.limit(waitNanos));
            }
            if (failure != null) {
                failed.increment();
                publish(TimeoutEvent.Type.ERROR, failure);
                throw failure;
            }
            successful.increment();
            publish(TimeoutEvent.Type.SUCCESS, null);
            return value;
        };
    }

    /**
     * One synchronous call, as seen by its timer. The state moves exactly once out of {@link #RUNNING}: to
     * {@link #FINISHED} by the caller (the call ended first: no interrupt is ever sent), or by the timer to
     * {@link #EXPIRED} (the call is not to be interrupted) or through {@link #INTERRUPTING} to {@link #INTERRUPTED}
     * once {@link Thread#interrupt()} has returned. The caller leaves only after the last of these, so an interrupt
     * sent for this call has landed, and can be cleared, before the caller's thread moves on.
     */
    private final class SyncCall implements Runnable {
        static final int RUNNING = 0;
        static final int FINISHED = 1;
        static final int EXPIRED = 2;
        static final int INTERRUPTING = 3;
        static final int INTERRUPTED = 4;
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<SyncCall> STATE =
                AtomicIntegerFieldUpdater.newUpdater(SyncCall.class, "state");

        private final Thread caller;
        private final boolean cancelRunningFuture;
        volatile int state;

        SyncCall(Thread caller, boolean cancelRunningFuture) {
            this.caller = caller;
            this.cancelRunningFuture = cancelRunningFuture;
        }

        /** The timer fired: the call is out of time. */
        @Override
        public void run() {
            if (!cancelRunningFuture) {
                STATE.compareAndSet(this, RUNNING, EXPIRED);
            } else if (STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
                try {
                    caller.interrupt();
                } finally {
                    state = INTERRUPTED;
                }
            }
        }

        /**
         * Called by the caller once the call has ended.
         *
         * @return whether the timer fired first (the call timed out); if it interrupts, its interrupt has landed
         */
        boolean finish() {
            if (STATE.compareAndSet(this, RUNNING, FINISHED)) {
                return false;
            }
            // The timer is between its decision and the end of Thread.interrupt(): a few instructions away.
            for (int spins = 0; state == INTERRUPTING; spins++) {
                if (spins < 100) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            return true;
        }
    }

    private TimeoutExceededException expiredBeforeStart() {
        timedOut.increment();
        publish(TimeoutEvent.Type.TIMEOUT, null);
        return new TimeoutExceededException(name, Duration.ZERO);
    }

    // ---------------------------------------------------------------------------------------------
    // Asynchronous

    @Override
    public AsyncInvoker decorateAsync(AsyncInvoker next) {
        Objects.requireNonNull(next, "next");
        return call -> {
            Settings s = settings;
            Deadline outer = Deadline.currentOrNull();
            long waitNanos = s.waitNanos(outer);
            if (waitNanos <= 0) {
                return CompletableFuture.failedFuture(expiredBeforeStart());
            }
            Deadline deadline = outer != null && waitNanos < s.timeoutNanos ? outer : Deadline.afterNanos(waitNanos, clock);
            AsyncCall timing = new AsyncCall(call, waitNanos, s, CallerContext.capture(carrier));
            CompletionStage<?> stage;
            Deadline previous = Deadline.replace(deadline);
            try {
                stage = next.invoke(timing);
            } catch (Throwable t) {
                return CompletableFuture.failedFuture(t);
            } finally {
                Deadline.replace(previous);
            }
            if (stage == null) {
                return CompletableFuture.failedFuture(new NullPointerException("the asynchronous call returned null instead of a CompletionStage"));
            }
            return timing.start(stage);
        };
    }

    /**
     * One asynchronous call. Its outcome is decided once (by the timer, the call's stage or the caller's
     * cancellation) before the caller's stage completes, so that metrics and events already include the call
     * when its result is seen. As the supplier handed to the next link, it also sees the user's own stage (of the
     * latest attempt, if a retry sits inside), so that a timed-out call can be cancelled even where the next link
     * returns a stage of its own.
     */
    private final class AsyncCall implements Supplier<CompletionStage<?>>, Runnable {
        private static final int PENDING = 0;
        private static final int DECIDED = 1;
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<AsyncCall> DECISION =
                AtomicIntegerFieldUpdater.newUpdater(AsyncCall.class, "decision");

        private final Supplier<? extends CompletionStage<?>> call;
        private final long waitNanos;
        private final Settings settings;
        /** Where a timed-out call's caller continues: captured before this timeout installed its own deadline. */
        private final CallerContext caller;
        private final CompletableFuture<Object> result = new CompletableFuture<>();
        private volatile int decision;
        /** Set once the call is to be abandoned: a user stage obtained later is cancelled at once. */
        private volatile boolean abandoned;
        private volatile CompletionStage<?> userStage;
        private CompletionStage<?> stage;

        AsyncCall(Supplier<? extends CompletionStage<?>> call, long waitNanos, Settings settings, CallerContext caller) {
            this.settings = settings;
            this.call = call;
            this.waitNanos = waitNanos;
            this.caller = caller;
        }

        /** The next link obtains the user's stage through here. */
        @Override
        public CompletionStage<?> get() {
            CompletionStage<?> obtained = call.get();
            userStage = obtained;
            if (abandoned && obtained != null) {
                cancel(obtained); // obtained after the timeout gave up on the call (a link inside started it late)
            }
            return obtained;
        }

        CompletableFuture<Object> start(CompletionStage<?> stage) {
            this.stage = stage;
            Scheduled timer = clock.schedule(this, waitNanos);
            stage.whenComplete((value, failure) -> {
                if (decide()) {
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
                if (result.isCancelled() && decide() && settings.cancelRunningFuture) {
                    abandon(null); // the caller gave up: so does the call
                }
            });
            return result;
        }

        private boolean decide() {
            return DECISION.compareAndSet(this, PENDING, DECIDED);
        }

        /** The timer fired: decide here, and leave everything that may run user code to the completion executor. */
        @Override
        public void run() {
            if (!decide()) {
                return;
            }
            timedOut.increment();
            Runnable completion = caller.wrap(this::timedOut);
            try {
                completions.execute(completion);
            } catch (RejectedExecutionException refused) {
                completion.run(); // better late on the timer thread than never
            }
        }

        private void timedOut() {
            publish(TimeoutEvent.Type.TIMEOUT, null);
            TimeoutExceededException exceeded = new TimeoutExceededException(name, settings.limit(waitNanos));
            if (settings.cancelRunningFuture) {
                abandon(exceeded);
            }
            result.completeExceptionally(exceeded);
        }

        /**
         * Completes the call's stage with the timeout (so that a policy inside it, a circuit breaker say, records
         * the timeout as the call's failure rather than as a cancellation), then cancels it and the user's own
         * stage, for stages that stop work when cancelled.
         *
         * @param exceeded the timeout, or null when the caller cancelled
         */
        private void abandon(TimeoutExceededException exceeded) {
            abandoned = true;
            if (exceeded != null) {
                try {
                    stage.toCompletableFuture().completeExceptionally(exceeded);
                } catch (UnsupportedOperationException ignored) {
                    // a stage that cannot be converted cannot be completed either
                }
            }
            cancel(stage);
            CompletionStage<?> user = userStage;
            if (user != null && user != stage) {
                cancel(user);
            }
        }
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

package dev.resilience.retry.internal;

import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.internal.Durations;
import dev.resilience.core.Clock;
import dev.resilience.core.EventPublisher;
import dev.resilience.core.Events;
import dev.resilience.core.Invoker;
import dev.resilience.core.internal.PolicySupport;
import dev.resilience.core.Scheduled;
import dev.resilience.core.internal.Throwables;
import dev.resilience.core.internal.CallerContext;
import dev.resilience.deadline.Deadline;
import dev.resilience.retry.IntervalBiFunction;
import dev.resilience.retry.MaxRetriesExceededException;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryBudget;
import dev.resilience.retry.RetryConfig;
import dev.resilience.retry.RetryEvent;
import dev.resilience.retry.RetryMetrics;
import dev.resilience.spi.ContextCarrier;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The {@link Retry} implementation. The success path of a call takes no lock and allocates nothing (with a
 * {@code maxDuration}, one {@link Deadline} per call).
 *
 * <p>The call's deadline is the earlier of the caller's {@link Deadline} and {@code maxDuration} from the call's
 * start; every attempt runs with it as the current deadline, so what the attempt calls (a nested timeout, our
 * worker threads, the outgoing HTTP header) sees the time left. Before each retry (never before the first attempt)
 * three things may end the call with its last failure: the time left is not more than the backoff; the
 * {@link RetryBudget} is spent; retrying was stopped. The time left is checked again after the backoff, since a
 * sleep may overrun.
 *
 * <p>An interrupted synchronous attempt (it threw {@link InterruptedException}, or the thread's interrupt flag is set
 * when it ends) ends the call at once with that outcome, with the flag set: an interrupt means the caller wants to
 * stop, and retrying would both ignore and clear that wish.
 *
 * <p>Synchronous backoffs: with the system clock the waiting thread parks and registers itself, so
 * {@link #stopRetrying()} can unpark it at once; with any other clock (e.g. a ManualClock) the wait is
 * taken in {@link #SLICE_NANOS} slices of {@link Clock#sleep(long)}, checking the stop flag between them.
 */
public final class RetryImpl extends PolicySupport implements Retry {

    /** The longest single sleep of a synchronous backoff on a clock other than the system clock. */
    static final long SLICE_NANOS = 10_000_000L;

    private static final int WAITED = 0;
    private static final int STOPPED = 1;
    private static final int INTERRUPTED = 2;

    private final String name;
    /** The settings in force, read once by each call as it starts; replaced whole by {@link #reconfigure}. */
    private volatile Settings settings;
    /** Serialises reconfigurations (a lock, not a monitor: never held by a call, and virtual-thread friendly). */
    private final java.util.concurrent.locks.ReentrantLock reconfiguring = new java.util.concurrent.locks.ReentrantLock();
    private final Clock clock;
    private final boolean systemClock;
    private final RetryBudget budget;
    private final ContextCarrier carrier;
    private final LongAdder refusedByBudget = new LongAdder();
    private final EventPublisher<RetryEvent> publisher = new EventPublisher<>();
    private final LongAdder successWithoutRetry = new LongAdder();
    private final LongAdder successWithRetry = new LongAdder();
    private final LongAdder failedWithoutRetry = new LongAdder();
    private final LongAdder failedWithRetry = new LongAdder();
    private final LongAdder failedWithIgnoredError = new LongAdder();
    private final Set<Thread> sleepers = ConcurrentHashMap.newKeySet();
    private final Set<AsyncCall> pendingAsync = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    /**
     * @param name instance name
     * @param config settings
     * @param clock time source
     */
    public RetryImpl(String name, RetryConfig config, Clock clock) {
        this(name, config, clock, config.budget().map(b -> RetryBudget.of(b, clock)).orElse(null));
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock time source
     * @param budget the budget retries draw on (possibly shared with other retries), or null for none
     */
    public RetryImpl(String name, RetryConfig config, Clock clock, RetryBudget budget) {
        this(name, config, clock, budget, ContextCarrier.none());
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock time source
     * @param budget the budget retries draw on (possibly shared with other retries), or null for none
     * @param carrier carries an asynchronous caller's context to the threads its later attempts run on
     */
    public RetryImpl(String name, RetryConfig config, Clock clock, RetryBudget budget, ContextCarrier carrier) {
        this.carrier = Objects.requireNonNull(carrier, "carrier");
        this.budget = budget;
        this.name = Objects.requireNonNull(name, "name");
        this.settings = new Settings(Objects.requireNonNull(config, "config"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.systemClock = clock instanceof Clock.SystemClock;
    }

    /** One config with what calls derive from it, so that a call sees one config whole, from start to end. */
    private static final class Settings {
        final RetryConfig config;
        final int maxAttempts;
        final Predicate<Object> resultPredicate;
        final long maxDurationNanos;
        final Executor asyncExecutor;
        /** Null: the configured backoff alone. */
        final IntervalBiFunction intervalFunction;
        final boolean failAfterMaxAttempts;

        Settings(RetryConfig config) {
            this.config = config;
            this.maxAttempts = config.maxAttempts();
            this.resultPredicate = config.retryOnResult().orElse(null);
            this.maxDurationNanos = config.maxDuration()
                    .map(d -> Math.min(Durations.saturatedNanos(d), RetryConfig.MAX_WAIT_NANOS)).orElse(0L);
            this.asyncExecutor = config.asyncExecutor();
            this.intervalFunction = config.intervalFunction().orElse(null);
            this.failAfterMaxAttempts = config.failAfterMaxAttempts();
        }
    }

    /**
     * A call reads the settings once, as it starts, and keeps them to its end: a call backing off when the settings
     * change finishes with the attempts and waits it started with. The budget is this instance's own (possibly shared
     * with others), so a config naming another budget is refused.
     */
    @Override
    public void reconfigure(RetryConfig config) {
        Objects.requireNonNull(config, "config");
        Settings next = new Settings(config);
        Settings previous;
        reconfiguring.lock(); // reconfigurations only, never a call: checks and swaps as one
        try {
            previous = settings;
            if (!previous.config.budget().equals(config.budget())) {
                throw new IllegalArgumentException("Retry '" + name + "': budget cannot change at run time (from "
                        + previous.config.budget().map(Object::toString).orElse("none") + " to "
                        + config.budget().map(Object::toString).orElse("none") + "); it takes a restart");
            }
            settings = next;
        } finally {
            reconfiguring.unlock();
        }
        if (publisher.hasListeners()) {
            publisher.publish(new RetryEvent(name, RetryEvent.Type.CONFIG_CHANGED, clock.currentTimeMillis(), 0, null,
                    null, java.util.Map.of("from", previous.config.toString(), "to", config.toString())));
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public RetryConfig config() {
        return settings.config;
    }

    @Override
    public Events<RetryEvent> events() {
        return publisher;
    }

    @Override
    public RetryMetrics metrics() {
        return new RetryMetrics(successWithoutRetry.sum(), successWithRetry.sum(), failedWithoutRetry.sum(),
                failedWithRetry.sum(), failedWithIgnoredError.sum(), refusedByBudget.sum(),
                budget == null ? -1 : budget.remaining());
    }

    @Override
    public void reset() {
        successWithoutRetry.reset();
        successWithRetry.reset();
        failedWithoutRetry.reset();
        failedWithRetry.reset();
        failedWithIgnoredError.reset();
        refusedByBudget.reset();
        if (budget != null) {
            budget.reset();
        }
    }

    @Override
    public void stopRetrying() {
        stopped = true;
        for (Thread sleeper : sleepers) {
            LockSupport.unpark(sleeper);
        }
        for (AsyncCall call : pendingAsync) {
            call.wake();
        }
    }

    @Override
    public boolean isStopped() {
        return stopped;
    }

    @Override
    public String toString() {
        return "Retry '" + name + "' " + settings.config;
    }

    // ---------------------------------------------------------------- synchronous

    @Override
    public Invoker decorate(Invoker next) {
        Objects.requireNonNull(next, "next");
        return (call, runner) -> execute(next, call, runner);
    }

    private Object execute(Invoker next, Object call, Invoker.Runner runner) throws Throwable {
        if (budget != null) {
            budget.recordFirstAttempt();
        }
        Settings s = settings;
        // Without maxDuration the call's deadline is the caller's, already current: the attempts run as they are, and
        // the caller's deadline (a thread-local lookup) is read only once a retry is in question.
        Deadline callers = s.maxDurationNanos > 0 ? Deadline.currentOrNull() : null;
        Deadline deadline = s.maxDurationNanos > 0 ? callDeadline(s, callers) : null;
        int attempt = 1;
        while (true) {
            Object result = null;
            Throwable error = null;
            try {
                if (deadline == callers) {
                    result = next.invoke(call, runner);
                } else {
                    Deadline.replace(deadline);
                    try {
                        result = next.invoke(call, runner);
                    } finally {
                        Deadline.replace(callers);
                    }
                }
                if (s.resultPredicate == null || !s.resultPredicate.test(result)) {
                    onSuccess(attempt);
                    return result;
                }
            } catch (Throwable t) {
                if (t instanceof InterruptedException) {
                    // Whoever threw it cleared the flag; the caller asked to stop, so restore it and end below.
                    Thread.currentThread().interrupt();
                }
                if (!s.config.isRetryable(t)) {
                    onIgnoredError(attempt, t);
                    throw t;
                }
                error = t;
            }
            Object end = afterFailedAttempt(s, attempt, error, result,
                    s.maxDurationNanos > 0 ? deadline : Deadline.currentOrNull());
            if (end != RETRY_NOW) {
                return end;
            }
            attempt++;
        }
    }

    /** What {@link #afterFailedAttempt} returns when the next attempt is to run. */
    private static final Object RETRY_NOW = new Object();

    /**
     * Decides, after an attempt that failed (or whose result is to be retried), whether another attempt runs, and
     * waits its backoff. Kept out of the synchronous loop so that the loop stays small enough for the JIT to inline
     * into the caller's chain (the first attempt's success is the hot path).
     *
     * @param deadline the call's deadline, or null for none
     * @return {@link #RETRY_NOW}, or what the call returns
     */
    private Object afterFailedAttempt(Settings s, int attempt, Throwable error, Object result, Deadline deadline)
            throws Throwable {
        if (attempt >= s.maxAttempts) {
            return exhausted(s, attempt, error, result);
        }
        if (stopped || Thread.currentThread().isInterrupted()) {
            return endWith(attempt, error, result);
        }
        long waitNanos;
        try {
            waitNanos = backoffNanos(s, attempt, error, result);
        } catch (RuntimeException | Error noWait) {
            onFailure(attempt, noWait);
            throw noWait;
        }
        if (!permitsRetry(attempt, waitNanos, error, deadline)) {
            return endWith(attempt, error, result);
        }
        onRetry(attempt, waitNanos, error);
        if (await(waitNanos) != WAITED) {
            return endWith(attempt, error, result);
        }
        if (timeLeftNanos(deadline) <= 0) {
            publish(RetryEvent.Type.DEADLINE_EXCEEDED, attempt, 0, error);
            return endWith(attempt, error, result);
        }
        return RETRY_NOW;
    }

    /** Checks the time left and then the budget (so a retry that could not fit costs the budget nothing). */
    private boolean permitsRetry(int attempt, long waitNanos, Throwable error, Deadline deadline) {
        if (waitNanos >= timeLeftNanos(deadline)) {
            publish(RetryEvent.Type.DEADLINE_EXCEEDED, attempt, waitNanos, error);
            return false;
        }
        if (budget != null && !budget.tryAcquireRetry()) {
            refusedByBudget.increment();
            publish(RetryEvent.Type.BUDGET_EXHAUSTED, attempt, 0, error);
            return false;
        }
        return true;
    }

    /**
     * @param callers the caller's deadline, or null
     * @return the deadline of a call starting now: the earlier of the caller's and maxDuration from now (the
     *     caller's own instance when it is the earlier, or when there is no maxDuration), or null for neither
     */
    private Deadline callDeadline(Settings s, Deadline callers) {
        if (s.maxDurationNanos <= 0) {
            return callers;
        }
        Deadline own = Deadline.afterNanos(s.maxDurationNanos, clock);
        return callers != null && !own.isBefore(callers) ? callers : own;
    }

    /** The time until the call's deadline; Long.MAX_VALUE when it has none. */
    private static long timeLeftNanos(Deadline deadline) {
        return deadline == null ? Long.MAX_VALUE : deadline.remainingNanos();
    }

    /**
     * The wait before the retry after attempt {@code attempt}: the interval function's, or the configured backoff.
     *
     * @throws IllegalStateException if the interval function returned a negative wait
     */
    private long backoffNanos(Settings s, int attempt, Throwable error, Object result) {
        if (s.intervalFunction == null) {
            return s.config.waitNanosBeforeRetry(attempt);
        }
        Duration wait = s.intervalFunction.apply(attempt, error, result);
        if (wait == null) {
            return s.config.waitNanosBeforeRetry(attempt);
        }
        if (wait.isNegative()) {
            throw new IllegalStateException("Retry '" + name + "': its intervalFunction returned " + wait
                    + " after attempt " + attempt + "; it must return zero or a positive wait, or null for the"
                    + " configured backoff", error);
        }
        return Math.min(Durations.saturatedNanos(wait), RetryConfig.MAX_WAIT_NANOS);
    }

    /** The last attempt ended with a retryable outcome: end with it, or fail an unwanted result if so configured. */
    private Object exhausted(Settings s, int attempts, Throwable error, Object result) throws Throwable {
        if (error == null && s.failAfterMaxAttempts) {
            MaxRetriesExceededException exceeded = new MaxRetriesExceededException(name, attempts, result);
            onFailure(attempts, exceeded);
            throw exceeded;
        }
        return endWith(attempts, error, result);
    }

    private Object endWith(int attempts, Throwable error, Object result) throws Throwable {
        onFailure(attempts, error);
        if (error != null) {
            throw error;
        }
        return result;
    }

    /** Waits for the backoff; returns WAITED, STOPPED or INTERRUPTED (flag restored). */
    private int await(long waitNanos) {
        if (waitNanos <= 0) {
            return stopped ? STOPPED : Thread.currentThread().isInterrupted() ? INTERRUPTED : WAITED;
        }
        if (systemClock) {
            return parkFor(waitNanos);
        }
        long start = clock.nanoTime();
        while (true) {
            if (stopped) {
                return STOPPED;
            }
            if (Thread.currentThread().isInterrupted()) {
                return INTERRUPTED;
            }
            long remaining = waitNanos - (clock.nanoTime() - start);
            if (remaining <= 0) {
                return WAITED;
            }
            try {
                clock.sleep(Math.min(remaining, SLICE_NANOS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return INTERRUPTED;
            }
        }
    }

    private int parkFor(long waitNanos) {
        Thread self = Thread.currentThread();
        sleepers.add(self);
        try {
            long start = clock.nanoTime();
            while (true) {
                // Checked after registering: stopRetrying() sets the flag before unparking the sleepers.
                if (stopped) {
                    return STOPPED;
                }
                if (self.isInterrupted()) {
                    return INTERRUPTED;
                }
                long remaining = waitNanos - (clock.nanoTime() - start);
                if (remaining <= 0) {
                    return WAITED;
                }
                LockSupport.parkNanos(this, remaining);
            }
        } finally {
            sleepers.remove(self);
        }
    }

    // ---------------------------------------------------------------- asynchronous

    @Override
    public AsyncInvoker decorateAsync(AsyncInvoker next) {
        Objects.requireNonNull(next, "next");
        return call -> new AsyncCall(next, call).start();
    }

    /**
     * One asynchronous call: its attempts, its backoffs and its outcome. The clock's timer only ends a backoff
     * ({@link #run()}); what follows, the next attempt or the end of the call, runs on the config's
     * {@link RetryConfig#asyncExecutor()}, so no user code runs on the timer thread every policy shares. It runs in
     * the caller's context ({@link CallerContext}: its deadline and what the {@link ContextCarrier} captured), each
     * attempt with the call's deadline on top.
     *
     * <p>The caller's stage failing or being cancelled from outside (an outer timeout, the caller giving up) ends
     * the call: a pending backoff is cancelled with its timer, and the attempt in flight is completed with the same
     * exception (so that a breaker inside records an outer timeout as a failure) and cancelled (so that a bulkhead
     * inside gets its permit back once the attempt has ended).
     */
    private final class AsyncCall implements BiConsumer<Object, Throwable>, Runnable {

        private final AsyncInvoker next;
        private final Supplier<? extends CompletionStage<?>> call;
        /** Read once as the call starts, kept to its end. */
        private final Settings s = settings;
        private final CompletableFuture<Object> outcome = new CompletableFuture<>();
        /** True while a backoff is scheduled; whoever flips it to false owns the next step. */
        private final AtomicBoolean backingOff = new AtomicBoolean();
        /** The caller's deadline and context, restored on whichever thread continues the call. */
        private final CallerContext caller = CallerContext.capture(carrier);
        /** The call's deadline (see the class comment), installed on whichever thread starts an attempt. */
        private final Deadline deadline = callDeadline(s, caller.deadline());
        private volatile Scheduled scheduled;
        /** The stage of the latest attempt, abandoned if the caller's stage ends first. */
        private volatile CompletionStage<?> current;
        // Written before backingOff is set and read after it is taken: safely published.
        private int attempt;
        private Throwable lastError;
        private Object lastResult;

        AsyncCall(AsyncInvoker next, Supplier<? extends CompletionStage<?>> call) {
            this.next = next;
            this.call = call;
        }

        CompletableFuture<Object> start() {
            outcome.whenComplete((r, t) -> {
                if (t != null) {
                    cancelBackoff();
                    CompletionStage<?> inFlight = current;
                    if (inFlight != null) {
                        abandon(inFlight, t);
                    }
                }
            });
            if (budget != null) {
                budget.recordFirstAttempt();
            }
            attempt();
            return outcome;
        }

        private void attempt() {
            attempt++;
            CompletionStage<?> stage;
            Deadline previous = deadline == null ? null : Deadline.replace(deadline);
            try {
                stage = next.invoke(call);
            } catch (Throwable t) {
                stage = CompletableFuture.failedFuture(t);
            } finally {
                if (deadline != null) {
                    Deadline.replace(previous);
                }
            }
            CompletionStage<?> started = stage;
            current = started;
            if (outcome.isCompletedExceptionally()) {
                // The caller's stage ended while this attempt started: the callback above saw the previous one.
                outcome.whenComplete((r, t) -> abandon(started, t));
            }
            started.whenComplete(this);
        }

        @Override
        public void accept(Object result, Throwable failure) {
            if (outcome.isDone()) {
                return; // cancelled by the caller
            }
            Throwable error = null;
            try {
                if (failure == null) {
                    if (s.resultPredicate == null || !s.resultPredicate.test(result)) {
                        onSuccess(attempt);
                        outcome.complete(result);
                        return;
                    }
                } else {
                    error = Throwables.unwrap(failure);
                    if (!s.config.isRetryable(error)) {
                        onIgnoredError(attempt, error);
                        outcome.completeExceptionally(error);
                        return;
                    }
                }
                lastError = error;
                lastResult = error == null ? result : null;
                if (attempt >= s.maxAttempts) {
                    if (error == null && s.failAfterMaxAttempts) {
                        MaxRetriesExceededException exceeded = new MaxRetriesExceededException(name, attempt, result);
                        onFailure(attempt, exceeded);
                        outcome.completeExceptionally(exceeded);
                    } else {
                        finish();
                    }
                    return;
                }
                if (stopped) {
                    finish();
                    return;
                }
                long waitNanos;
                try {
                    waitNanos = backoffNanos(s, attempt, error, result);
                } catch (RuntimeException | Error noWait) {
                    onFailure(attempt, noWait);
                    outcome.completeExceptionally(noWait);
                    return;
                }
                if (!permitsRetry(attempt, waitNanos, error, deadline)) {
                    finish();
                    return;
                }
                onRetry(attempt, waitNanos, error);
                // Added before the flag is set, so that whoever takes the flag back removes it after the add.
                pendingAsync.add(this);
                backingOff.set(true);
                Scheduled timer = clock.schedule(this, waitNanos);
                scheduled = timer;
                if (outcome.isDone()) {
                    // The caller gave up while the backoff was being scheduled: its callback may have run before the
                    // timer existed (or before the flag was set), so end the backoff here too.
                    cancelBackoff();
                    timer.cancel();
                } else if (stopped) {
                    wake(); // stopRetrying() may have looked at pendingAsync before we were added
                }
            } catch (Throwable unexpected) {
                // A predicate or listener failed: end the call with that failure rather than hang.
                outcome.completeExceptionally(unexpected);
            }
        }

        /** The backoff timer fired: claim the next step and hand it to the executor. */
        @Override
        public void run() {
            if (!backingOff.compareAndSet(true, false)) {
                return;
            }
            pendingAsync.remove(this);
            if (outcome.isDone()) {
                return;
            }
            try {
                s.asyncExecutor.execute(caller.wrap(this::afterBackoff));
            } catch (Throwable refused) {
                caller.run(this::finish); // e.g. an executor shutting down: end as a stopped retry does, never hang
            }
        }

        private void afterBackoff() {
            if (outcome.isDone()) {
                return;
            }
            if (stopped) {
                finish();
            } else if (timeLeftNanos(deadline) <= 0) {
                publish(RetryEvent.Type.DEADLINE_EXCEEDED, attempt, 0, lastError);
                finish();
            } else {
                attempt();
            }
        }

        /** stopRetrying(): end the backoff now with the last outcome. */
        void wake() {
            if (backingOff.compareAndSet(true, false)) {
                pendingAsync.remove(this);
                Scheduled s = scheduled;
                if (s != null) {
                    s.cancel();
                }
                finish();
            }
        }

        private void cancelBackoff() {
            if (backingOff.compareAndSet(true, false)) {
                pendingAsync.remove(this);
                Scheduled s = scheduled;
                if (s != null) {
                    s.cancel();
                }
            }
        }

        private void finish() {
            onFailure(attempt, lastError);
            if (lastError != null) {
                outcome.completeExceptionally(lastError);
            } else {
                outcome.complete(lastResult);
            }
        }
    }

    /**
     * The caller's stage ended with {@code reason} while an attempt's stage may still run: complete that stage with the
     * same exception (unless it was a cancellation), then cancel it. Nothing once the attempt has ended.
     */
    private static void abandon(CompletionStage<?> stage, Throwable reason) {
        try {
            CompletableFuture<?> attempt = stage.toCompletableFuture();
            if (attempt.isDone()) {
                return;
            }
            Throwable cause = Throwables.unwrap(reason);
            if (!(cause instanceof java.util.concurrent.CancellationException)) {
                attempt.completeExceptionally(cause);
            }
            attempt.cancel(true);
        } catch (UnsupportedOperationException ignored) {
            // a stage that cannot be converted cannot be cancelled either
        }
    }

    // ---------------------------------------------------------------- accounting

    private void onSuccess(int attempts) {
        if (attempts == 1) {
            successWithoutRetry.increment();
        } else {
            successWithRetry.increment();
            publish(RetryEvent.Type.SUCCESS, attempts, 0, null);
        }
    }

    private void onFailure(int attempts, Throwable error) {
        if (attempts == 1) {
            failedWithoutRetry.increment();
        } else {
            failedWithRetry.increment();
        }
        publish(RetryEvent.Type.ERROR, attempts, 0, error);
    }

    private void onIgnoredError(int attempts, Throwable error) {
        failedWithIgnoredError.increment();
        publish(RetryEvent.Type.IGNORED_ERROR, attempts, 0, error);
    }

    private void onRetry(int attempt, long waitNanos, Throwable error) {
        publish(RetryEvent.Type.RETRY, attempt, waitNanos, error);
    }

    private void publish(RetryEvent.Type type, int attempts, long waitNanos, Throwable error) {
        if (publisher.hasListeners()) {
            publisher.publish(new RetryEvent(name, type, clock.currentTimeMillis(), attempts,
                    waitNanos == 0 ? Duration.ZERO : Duration.ofNanos(waitNanos), error));
        }
    }
}

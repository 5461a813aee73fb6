package dev.resilience.ratelimiter.internal;

import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Clock;
import dev.resilience.core.EventPublisher;
import dev.resilience.core.Events;
import dev.resilience.core.Invoker;
import dev.resilience.core.internal.PolicySupport;
import dev.resilience.core.Scheduled;
import dev.resilience.core.internal.CallerContext;
import dev.resilience.core.internal.Durations;
import dev.resilience.core.internal.Throwables;
import dev.resilience.core.internal.Validate;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.RateLimiterEvent;
import dev.resilience.ratelimiter.RateLimiterMetrics;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.ratelimiter.StoreFailureMode;
import dev.resilience.ratelimiter.StoreStatus;
import dev.resilience.spi.Admission;
import dev.resilience.spi.ContextCarrier;
import dev.resilience.spi.RateLimiterStore;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A {@link RateLimiter} whose permits are counted by a shared {@link RateLimiterStore}: one request to the store per
 * call, whose answer (granted, wait n, refused) this class enforces.
 *
 * <p><b>Failures.</b> A store that fails, or does not answer within the command timeout (enforced here, on the
 * injected clock's timer, whatever the store does), marks the store unavailable. While it is, calls do not ask it:
 * they get the {@link StoreFailureMode} at once, so an outage costs no call more than one command timeout, and only
 * the calls already asking when it began. One caller at a time asks again, {@link #PROBE_INTERVAL_NANOS} after the last
 * failure; the first answer makes the store available again. In {@link StoreFailureMode#LOCAL} the calls meanwhile go through a
 * local {@link RateLimiterImpl} of the same settings, created up front (idle, it costs no timer).
 *
 * <p><b>Logging.</b> Through {@link System.Logger}, at most one line about failures per {@link #LOG_INTERVAL_NANOS}
 * (it counts the failures it did not report), and one line on recovery after a reported failure: per limiter, or per
 * keyed instance for the limiters of its keys ({@link #forKey}).
 *
 * <p><b>Threads.</b> A store's answer arrives on the store's own thread (e.g. a network event loop) or, on timeout, on
 * the clock's timer thread: an asynchronous call never runs there but on the async executor, in its caller's context.
 *
 * <p>Not an API: built through {@link RateLimiter#of(String, RateLimiterConfig, Clock, RateLimiterStore, Duration)},
 * or directly where a store key other than the name is needed (limits per key). Thread-safe.
 */
public final class StoreBackedRateLimiter extends PolicySupport implements RateLimiter {

    /** How often a store marked unavailable is asked again (by one caller), 1 s. */
    static final long PROBE_INTERVAL_NANOS = 1_000_000_000L;

    /** At most one log line about store failures per limiter in this interval, 30 s. */
    static final long LOG_INTERVAL_NANOS = 30_000_000_000L;

    private static final System.Logger LOG = System.getLogger(StoreBackedRateLimiter.class.getName());

    private final String name;
    private final String storeKey;
    private final Clock clock;
    private final RateLimiterStore store;
    private final Duration commandTimeout;
    private final long commandTimeoutNanos;
    private final long periodNanos;
    private final Executor asyncExecutor;
    private final ContextCarrier carrier;
    /** Enforces the limit on this instance alone while the store fails, in {@link StoreFailureMode#LOCAL}. */
    private final RateLimiterImpl local;
    private final EventPublisher<RateLimiterEvent> publisher = new EventPublisher<>();
    private volatile RateLimiterConfig config;
    private volatile int limit;
    private volatile long timeoutNanos;

    private final AtomicBoolean available = new AtomicBoolean(true);
    /** When a store marked unavailable may be asked again; claimed by compare-and-set, so one caller asks. */
    private final AtomicLong nextProbeNanos = new AtomicLong();
    /** Shared by the keys of one keyed instance: Redis down must not log a line per key. */
    private final LogThrottle log;
    private final LongAdder errors = new LongAdder();
    private volatile String lastError;
    private volatile int lastRemaining = -1;

    private final LongAdder permitted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final AtomicInteger waiting = new AtomicInteger();

    /**
     * @param name instance name
     * @param storeKey the key counted in the store: the name, or the name and a key for limits per key
     * @param config settings
     * @param clock time source for waits, command timeouts, probes and events
     * @param store the shared store
     * @param commandTimeout how long a call waits for the store's answer; positive
     * @param asyncExecutor starts asynchronous calls once the store answered (never on the store's thread)
     * @param carrier carries an asynchronous caller's context to the thread that starts its call
     */
    public StoreBackedRateLimiter(String name, String storeKey, RateLimiterConfig config, Clock clock,
                                  RateLimiterStore store, Duration commandTimeout, Executor asyncExecutor,
                                  ContextCarrier carrier) {
        this(name, storeKey, config, clock, store, commandTimeout, asyncExecutor, carrier, new LogThrottle());
    }

    private StoreBackedRateLimiter(String name, String storeKey, RateLimiterConfig config, Clock clock,
                                   RateLimiterStore store, Duration commandTimeout, Executor asyncExecutor,
                                   ContextCarrier carrier, LogThrottle log) {
        this.log = log;
        this.name = Objects.requireNonNull(name, "name");
        this.storeKey = Objects.requireNonNull(storeKey, "storeKey");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = Objects.requireNonNull(store, "store");
        this.commandTimeout = Validate.positive("commandTimeout", commandTimeout);
        this.commandTimeoutNanos = Durations.saturatedNanos(commandTimeout);
        this.asyncExecutor = Objects.requireNonNull(asyncExecutor, "asyncExecutor");
        this.carrier = Objects.requireNonNull(carrier, "carrier");
        this.periodNanos = config.limitRefreshPeriod().toNanos();
        this.limit = config.limitForPeriod();
        this.timeoutNanos = Durations.saturatedNanos(config.timeoutDuration());
        this.local = new RateLimiterImpl(name, config, clock, asyncExecutor, carrier);
        local.events().subscribe(publisher::publish);
    }

    /**
     * A limiter of one key of a keyed instance: this limiter's name, current settings, clock, store, command timeout,
     * executor and context carrier, counting under the store key {@code <this store key>:<key>} (the key's string
     * form), with counters, a store status and a local fallback of its own. The log lines about store failures are
     * shared with this limiter and its other keys: at most one per {@link #LOG_INTERVAL_NANOS} for the instance, however
     * many keys fail.
     *
     * @param key the key, never null
     * @return a new limiter for that key
     */
    public StoreBackedRateLimiter forKey(Object key) {
        Objects.requireNonNull(key, "key");
        return new StoreBackedRateLimiter(name, storeKey + ":" + key, config, clock, store, commandTimeout,
                asyncExecutor, carrier, log);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "ratelimiter";
    }

    @Override
    public RateLimiterConfig config() {
        return config;
    }

    @Override
    public Events<RateLimiterEvent> events() {
        return publisher;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Counts this instance's calls only. Available permits are those the store reported after this instance's last
     * call (0 if it did not say), or the local limiter's while the store is unavailable.
     */
    @Override
    public RateLimiterMetrics metrics() {
        RateLimiterMetrics fallback = local.metrics();
        int free = available.get() ? Math.max(0, lastRemaining) : fallback.availablePermissions();
        return new RateLimiterMetrics(limit, free, waiting.get() + fallback.waitingCalls(),
                permitted.sum() + fallback.permittedCalls(), rejected.sum() + fallback.rejectedCalls());
    }

    @Override
    public Optional<StoreStatus> storeStatus() {
        return Optional.of(new StoreStatus(store.name(), storeKey, config.onStoreFailure(), available.get(),
                errors.sum(), lastError));
    }

    /** @return store failures since creation, as {@link #storeStatus()} has them, without creating a status */
    public long storeErrors() {
        return errors.sum();
    }

    /** @return whether the store answered the last request, as {@link #storeStatus()} has it, without creating a status */
    public boolean storeAvailable() {
        return available.get();
    }

    /** The limit applies from the next request to the store on; the local fallback changes as a local limiter does. */
    @Override
    public void changeLimitForPeriod(int limitForPeriod) {
        Validate.atLeast("limitForPeriod", limitForPeriod, 1);
        local.changeLimitForPeriod(limitForPeriod);
        limit = limitForPeriod;
        config = config.toBuilder().limitForPeriod(limitForPeriod).build();
    }

    @Override
    public void changeTimeoutDuration(Duration timeoutDuration) {
        Validate.notNegative("timeoutDuration", timeoutDuration);
        local.changeTimeoutDuration(timeoutDuration);
        timeoutNanos = Durations.saturatedNanos(timeoutDuration);
        config = config.toBuilder().timeoutDuration(timeoutDuration).build();
    }

    /**
     * Refills this instance's local fallback limiter only: the shared count lives in the store, which opens its next
     * period on its own time.
     */
    @Override
    public void refill() {
        local.refill();
    }

    /**
     * Drains the shared period for the whole fleet: the store empties its current period
     * ({@link RateLimiterStore#drain}), so that the next request for a permit on any instance is refused until the
     * store's period turns; and this instance's local fallback, for the calls it admits while the store fails.
     *
     * <p>Waits for the store's answer, at most the command timeout. A store that fails or does not answer in time is
     * counted and logged as any store failure, and the limiter applies its {@code on-store-failure} until the store
     * answers again; nothing is thrown, so that a caller draining on a downstream's 429 is not failed by Redis trouble.
     * An interrupt ends the wait (the drain may still reach the store) and restores the interrupt flag.
     *
     * @throws UnsupportedOperationException if the store cannot drain a period (nothing is drained)
     */
    @Override
    public void drainPermissions() {
        CompletableFuture<Void> drained = drainInStore();
        local.drainPermissions();
        try {
            drained.get(); // bounded: the clock's timer fails it after the command timeout
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            onStoreFailure(e.getCause());
        }
    }

    /**
     * Asks the store to drain, failed by the clock's timer if it has not answered within the command timeout.
     *
     * @throws UnsupportedOperationException if the store cannot drain
     */
    private CompletableFuture<Void> drainInStore() {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        CompletionStage<Void> stage;
        try {
            stage = store.drain(storeKey, limit, periodNanos);
        } catch (UnsupportedOperationException unsupported) {
            throw unsupported;
        } catch (Throwable t) {
            answer.completeExceptionally(t);
            return answer;
        }
        if (stage == null) {
            answer.completeExceptionally(new IllegalStateException(store.name() + " returned no answer (null)"));
            return answer;
        }
        Scheduled timer = clock.schedule(() -> answer.completeExceptionally(new TimeoutException(store.name()
                + " did not drain within the command timeout of " + commandTimeout)), commandTimeoutNanos);
        stage.whenComplete((ignored, failure) -> {
            timer.cancel();
            if (failure != null) {
                answer.completeExceptionally(Throwables.unwrap(failure));
            } else {
                answer.complete(null);
            }
        });
        return answer;
    }

    @Override
    public boolean acquirePermission() {
        if (!shouldAsk()) {
            return degradedPermission();
        }
        Admission admission;
        try {
            admission = askAndWait(); // bounded by the command timeout
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            onRejected(0, "interrupted");
            return false;
        } catch (ExecutionException e) {
            onStoreFailure(e.getCause());
            return degradedPermission(); // never ask again within one call: a slow failure could repeat for ever
        }
        onAnswer(admission);
        if (!admission.isGranted()) {
            onRejected(admission.retryAfterNanos(), "timeout");
            return false;
        }
        if (!awaitPermit(admission.waitNanos())) {
            onRejected(0, "interrupted");
            return false;
        }
        onPermitted(admission.waitNanos());
        return true;
    }

    private boolean degradedPermission() {
        return switch (config.onStoreFailure()) {
            case LOCAL -> local.acquirePermission();
            case ALLOW -> {
                onPermitted(0);
                yield true;
            }
            case DENY -> {
                onDenied();
                yield false;
            }
        };
    }

    @Override
    public Invoker decorate(Invoker next) {
        Objects.requireNonNull(next, "next");
        Invoker fallback = local.decorate(next);
        return (call, runner) -> {
            if (!shouldAsk()) {
                return degraded(fallback, next, call, runner);
            }
            Admission admission;
            try {
                admission = askAndWait(); // bounded by the command timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw onRejected(0, "interrupted");
            } catch (ExecutionException e) {
                onStoreFailure(e.getCause());
                return degraded(fallback, next, call, runner);
            }
            onAnswer(admission);
            if (!admission.isGranted()) {
                throw onRejected(admission.retryAfterNanos(), "timeout");
            }
            if (!awaitPermit(admission.waitNanos())) {
                throw onRejected(0, "interrupted");
            }
            onPermitted(admission.waitNanos());
            return next.invoke(call, runner);
        };
    }

    private Object degraded(Invoker fallback, Invoker next, Object call, Invoker.Runner runner)
            throws Throwable {
        return switch (config.onStoreFailure()) {
            case LOCAL -> fallback.invoke(call, runner);
            case ALLOW -> {
                onPermitted(0);
                yield next.invoke(call, runner);
            }
            case DENY -> throw onDenied();
        };
    }

    @Override
    public AsyncInvoker decorateAsync(AsyncInvoker next) {
        Objects.requireNonNull(next, "next");
        AsyncInvoker fallback = local.decorateAsync(next);
        return call -> {
            if (!shouldAsk()) {
                return degradedAsync(fallback, next, call);
            }
            CompletableFuture<Admission> answer = ask();
            CallerContext caller = CallerContext.capture(carrier);
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            answer.whenComplete((admission, failure) -> {
                if (failure != null) {
                    onStoreFailure(Throwables.unwrap(failure));
                    start(caller, outcome, () -> degradedAsync(fallback, next, call));
                    return;
                }
                onAnswer(admission);
                if (!admission.isGranted()) {
                    outcome.completeExceptionally(onRejected(admission.retryAfterNanos(), "timeout"));
                    return;
                }
                long wait = admission.waitNanos();
                onPermitted(wait);
                if (wait == 0) {
                    start(caller, outcome, () -> next.invoke(call));
                } else {
                    // The permit belongs to a later period: the clock's timer wakes the call, no thread waits for it.
                    Scheduled task = clock.schedule(() -> start(caller, outcome, () -> next.invoke(call)), wait);
                    outcome.whenComplete((v, t) -> {
                        if (outcome.isCancelled()) {
                            task.cancel();
                        }
                    });
                }
            });
            return outcome;
        };
    }

    private CompletionStage<?> degradedAsync(AsyncInvoker fallback, AsyncInvoker next,
                                             Supplier<? extends CompletionStage<?>> call) {
        return switch (config.onStoreFailure()) {
            case LOCAL -> fallback.invoke(call);
            case ALLOW -> {
                onPermitted(0);
                yield next.invoke(call);
            }
            case DENY -> CompletableFuture.failedFuture(onDenied());
        };
    }

    /** Starts an asynchronous call on the async executor, in its caller's context, unless it was cancelled. */
    private void start(CallerContext caller, CompletableFuture<Object> outcome,
                       Supplier<? extends CompletionStage<?>> work) {
        Runnable task = caller.wrap(() -> {
            if (outcome.isDone()) {
                return; // cancelled while waiting for the store or its period
            }
            CompletionStage<?> stage;
            try {
                stage = work.get();
            } catch (Throwable t) {
                stage = CompletableFuture.failedFuture(t);
            }
            stage.whenComplete((value, failure) -> {
                if (failure != null) {
                    outcome.completeExceptionally(Throwables.unwrap(failure));
                } else {
                    outcome.complete(value);
                }
            });
        });
        try {
            asyncExecutor.execute(task);
        } catch (Throwable refused) {
            task.run(); // e.g. an executor shutting down: run here rather than never
        }
    }

    /** @return whether to ask the store: it is available, or this caller claimed the next probe */
    private boolean shouldAsk() {
        if (available.get()) {
            return true;
        }
        long next = nextProbeNanos.get();
        long now = clock.nanoTime();
        return now - next >= 0 && nextProbeNanos.compareAndSet(next, now + PROBE_INTERVAL_NANOS);
    }

    /**
     * One request to the store, for a synchronous caller: waits for the answer at most the command timeout with
     * {@link Clock#await}, which on the system clock is a timed park (no timer task to schedule and cancel per call).
     *
     * @throws ExecutionException the store failed, answered null, or did not answer in time (a TimeoutException)
     */
    private Admission askAndWait() throws InterruptedException, ExecutionException {
        CompletableFuture<Admission> answer;
        try {
            CompletionStage<Admission> stage = store.acquire(storeKey, limit, periodNanos, timeoutNanos);
            if (stage == null) {
                throw new IllegalStateException(store.name() + " returned no answer (null)");
            }
            answer = stage.toCompletableFuture();
        } catch (Throwable t) {
            throw new ExecutionException(t);
        }
        Admission admission;
        try {
            admission = clock.await(answer, commandTimeoutNanos);
        } catch (TimeoutException e) {
            throw new ExecutionException(new TimeoutException(store.name()
                    + " did not answer within the command timeout of " + commandTimeout));
        } catch (ExecutionException e) {
            throw new ExecutionException(Throwables.unwrap(e.getCause()));
        }
        if (admission == null) {
            throw new ExecutionException(new IllegalStateException("the store answered null"));
        }
        return admission;
    }

    /**
     * One request to the store, for an asynchronous caller: failed by the clock's timer if it has not answered within
     * the command timeout.
     */
    private CompletableFuture<Admission> ask() {
        CompletableFuture<Admission> answer = new CompletableFuture<>();
        CompletionStage<Admission> stage;
        try {
            stage = store.acquire(storeKey, limit, periodNanos, timeoutNanos);
        } catch (Throwable t) {
            answer.completeExceptionally(t);
            return answer;
        }
        if (stage == null) {
            answer.completeExceptionally(new IllegalStateException(store.name() + " returned no answer (null)"));
            return answer;
        }
        if (stage instanceof CompletableFuture<Admission> done && done.isDone()) {
            relay(done, answer); // answered on this thread: no timer needed
            return answer;
        }
        Scheduled timer = clock.schedule(() -> answer.completeExceptionally(
                new TimeoutException(store.name() + " did not answer within the command timeout of " + commandTimeout)),
                commandTimeoutNanos);
        stage.whenComplete((admission, failure) -> {
            timer.cancel();
            relay(admission, failure, answer);
        });
        return answer;
    }

    private static void relay(CompletableFuture<Admission> done, CompletableFuture<Admission> answer) {
        try {
            relay(done.join(), null, answer);
        } catch (Throwable t) {
            relay(null, t, answer);
        }
    }

    private static void relay(Admission admission, Throwable failure, CompletableFuture<Admission> answer) {
        if (failure != null) {
            answer.completeExceptionally(Throwables.unwrap(failure));
        } else if (admission == null) {
            answer.completeExceptionally(new IllegalStateException("the store answered null"));
        } else {
            answer.complete(admission);
        }
    }

    /** @return whether the wait for a reserved permit ended normally (false: interrupted, flag restored) */
    private boolean awaitPermit(long waitNanos) {
        if (waitNanos <= 0) {
            return true;
        }
        waiting.incrementAndGet();
        try {
            clock.sleep(waitNanos);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiting.decrementAndGet();
        }
    }

    private void onAnswer(Admission admission) {
        lastRemaining = admission.remaining();
        if (!available.get() && available.compareAndSet(false, true) && log.failureLogged.compareAndSet(true, false)) {
            LOG.log(System.Logger.Level.INFO, () -> "RateLimiter '" + name + "': its store (" + store.name()
                    + ") answers again; the shared limit applies (" + errors.sum() + " store failures so far)");
        }
    }

    private void onStoreFailure(Throwable failure) {
        errors.increment();
        String description = failure == null ? "unknown failure" : failure.toString();
        lastError = description;
        available.set(false);
        long now = clock.nanoTime();
        // Counted from the failure, not from the probe's start: a probe that took the whole command timeout is not
        // followed at once by the next one, which would make one caller after another wait for it.
        nextProbeNanos.accumulateAndGet(now + PROBE_INTERVAL_NANOS, (a, b) -> b - a > 0 ? b : a);
        long nextLog = log.nextLogNanos.get();
        if ((nextLog == Long.MIN_VALUE || now - nextLog >= 0) && log.nextLogNanos.compareAndSet(nextLog, now + LOG_INTERVAL_NANOS)) {
            long unlogged = log.unloggedFailures.getAndSet(0);
            log.failureLogged.set(true);
            LOG.log(System.Logger.Level.WARNING, () -> "RateLimiter '" + name + "': its store (" + store.name()
                    + ") failed: " + description + "; on-store-failure " + config.onStoreFailure()
                    + " applies until it answers again" + (unlogged > 0 ? " (" + unlogged
                    + " earlier failures not logged)" : ""));
        } else {
            log.unloggedFailures.incrementAndGet();
        }
    }

    private void onPermitted(long waitedNanos) {
        permitted.increment();
        if (publisher.hasListeners()) {
            publisher.publish(new RateLimiterEvent(name, RateLimiterEvent.Type.SUCCESSFUL_ACQUIRE,
                    clock.currentTimeMillis(), Duration.ofNanos(waitedNanos), null));
        }
    }

    private RequestNotPermittedException onRejected(long retryAfterNanos, String reason) {
        rejected.increment();
        Duration retryAfter = Duration.ofNanos(Math.max(0, retryAfterNanos));
        if (publisher.hasListeners()) {
            publisher.publish(new RateLimiterEvent(name, RateLimiterEvent.Type.FAILED_ACQUIRE,
                    clock.currentTimeMillis(), retryAfter, reason));
        }
        return "interrupted".equals(reason)
                ? RequestNotPermittedException.interrupted(name)
                : RequestNotPermittedException.timedOut(name, retryAfter);
    }

    private RequestNotPermittedException onDenied() {
        rejected.increment();
        if (publisher.hasListeners()) {
            publisher.publish(new RateLimiterEvent(name, RateLimiterEvent.Type.FAILED_ACQUIRE,
                    clock.currentTimeMillis(), Duration.ZERO, "store-unavailable"));
        }
        return RequestNotPermittedException.storeUnavailable(name, store.name());
    }

    @Override
    public String toString() {
        return "RateLimiter '" + name + "' on store " + store.name() + " (key '" + storeKey + "') " + config;
    }

    /** When the next line about store failures may be logged, and what was not logged since the last one. */
    private static final class LogThrottle {
        final AtomicLong nextLogNanos = new AtomicLong(Long.MIN_VALUE);
        final AtomicBoolean failureLogged = new AtomicBoolean();
        final AtomicLong unloggedFailures = new AtomicLong();
    }
}

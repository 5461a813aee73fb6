package dev.resilience.bulkhead.internal;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.BulkheadEvent;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.bulkhead.BulkheadMetrics;
import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Clock;
import dev.resilience.core.internal.Durations;
import dev.resilience.core.EventPublisher;
import dev.resilience.core.Events;
import dev.resilience.core.Invoker;
import dev.resilience.core.internal.PolicySupport;
import dev.resilience.core.Scheduled;
import dev.resilience.core.ThrowingSupplier;
import dev.resilience.core.internal.CallerContext;
import dev.resilience.spi.ContextCarrier;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The {@link Bulkhead} implementation.
 *
 * <p>Permits are one {@code long}: its low 32 bits count the permits held, its high 32 bits the acquisitions
 * (modulo 2<sup>32</sup>, see below). An acquire reads it and, while fewer than {@code maxConcurrentCalls} are
 * held, adds one to both fields with a compare-and-set; a release subtracts one from the permits held. A
 * permitted call is therefore exactly two atomic read-modify-writes, both on one word, and nothing else written
 * that other threads share: no lock, no allocation, no separate counter of permitted calls. The word is padded
 * away from other objects, and it is one word rather than two counters ({@code acquired} and {@code released})
 * on purpose: an acquire must read what releases write, so two counters are two lines that move between cores
 * on every call (measured on two cores: about 7 times slower than one line with two threads calling), and two
 * adjacent {@code long}s are not even on one line for every placement of the object. One word also makes the
 * free permits a single exact read, always within [0, maxConcurrentCalls].
 *
 * <p>The permitted-calls metric is derived: the acquisitions minus the permits granted to waiters that are not
 * (yet) calls. Only a waiter's grant can fail to become a call (nobody left to take it, a waiter interrupted as
 * it was granted, an asynchronous call cancelled while queued), so only grants are counted, off the fast path:
 * as "not a call" in the same step that acquires them, and back out when the granted call really starts. A
 * grant that never runs stays counted and needs no further write. The count is exported as a monotonic counter, so
 * {@link #metrics()} must never see a grant's acquisition without its mark, or it would count a call and take
 * it back a moment later: grants take a {@link StampedLock} shared for that step, {@link #metrics()} takes it
 * exclusively for its reads.
 *
 * <p>The acquisitions field wraps every 2<sup>32</sup> acquisitions. The one acquisition that wraps it does so
 * holding that lock shared and counts the wrap in {@link #wraps}: a fast-path acquisition that finds the field
 * at its last value takes that path, so {@link #metrics()} never sees a wrap half done either.
 *
 * <p>Callers that must wait (all permits taken, {@code maxWaitDuration > 0}) enqueue a {@link Waiter} in a
 * FIFO queue and a timer on the clock. A waiter is completed exactly once, by whichever comes first: a release
 * handing it a permit ({@code complete(true)}), its timer ({@code complete(false)}), or its caller's
 * interrupt. Completion is a compare-and-set, so a waiter that timed out can never swallow a permit: the
 * release path then fails to complete it, returns the permit and moves on to the next waiter.
 *
 * <p>No lost wake-ups: a permit free while a live waiter is queued is a state that only a release or an
 * enqueue can create, and both are followed by {@link #drain()}, which hands free permits to queued waiters
 * until one side is empty.
 *
 * <p>An asynchronous waiter's call runs on the thread whose release granted it the permit, or that of its timer when
 * it gives up: in its own caller's context ({@link CallerContext}: the caller's deadline and what the
 * {@link ContextCarrier} captured when it queued), never in that thread's.
 *
 * <p>Events cost nothing when nobody listens: a call reads {@link EventPublisher#hasListeners()} once, as it
 * starts, and publishes both its {@code CALL_PERMITTED} and its {@code CALL_FINISHED} only if someone did, so a
 * listener sees the two events of a call in pairs.
 */
public final class SemaphoreBulkhead extends PolicySupport implements Bulkhead {

    private final String name;
    /** The settings in force; replaced whole by {@link #reconfigure} (see there for what a change keeps). */
    private volatile BulkheadConfig config;
    private final Clock clock;
    private final ContextCarrier carrier;
    /**
     * Read once per acquisition. May be lower than the permits held for a while after a cut: acquisitions then fail
     * until enough calls have finished, and {@link #availableNow()} reads 0.
     */
    private volatile int maxConcurrentCalls;
    private volatile long maxWaitNanos;
    /** The permit word (see the class comment) at {@link #PERMITS}, padded on both sides. */
    private final AtomicLongArray permits = new AtomicLongArray(2 * PADDING + 1);
    /** Times the acquisitions field of the permit word wrapped around. */
    private final AtomicLong wraps = new AtomicLong();
    private final AtomicInteger waiting = new AtomicInteger();
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    /** Permits granted to waiters that are not (yet) calls; see the class comment. */
    private final LongAdder grantsNotCalled = new LongAdder();
    /** Shared: a grant's acquisition and its mark in {@link #grantsNotCalled}; exclusive: the metrics' reads. */
    private final StampedLock grantAccounting = new StampedLock();
    private final LongAdder rejected = new LongAdder();
    /** Serialises reconfigurations (a lock, not a monitor: never held by a call, and virtual-thread friendly). */
    private final java.util.concurrent.locks.ReentrantLock reconfiguring = new java.util.concurrent.locks.ReentrantLock();
    private final EventPublisher<BulkheadEvent> events = new EventPublisher<>();

    /**
     * Longs on each side of the permit word: 128 bytes, two cache lines, so that neither another object nor
     * this array's header (read by every access, for the bounds check) shares its line, even with the
     * adjacent-line prefetch.
     */
    private static final int PADDING = 16;
    private static final int PERMITS = PADDING;
    /** Added by an acquisition: one more acquisition, one more permit held. */
    private static final long ONE_ACQUISITION = (1L << 32) + 1;
    /** The acquisitions field's last value before it wraps. */
    private static final long LAST_BEFORE_WRAP = 0xFFFF_FFFFL;

    /**
     * @param name instance name
     * @param config settings
     * @param clock times waits and stamps events
     */
    public SemaphoreBulkhead(String name, BulkheadConfig config, Clock clock) {
        this(name, config, clock, ContextCarrier.none());
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock times waits and stamps events
     * @param carrier carries a queued asynchronous caller's context to the thread that runs its call
     */
    public SemaphoreBulkhead(String name, BulkheadConfig config, Clock clock, ContextCarrier carrier) {
        this(name, config, clock, carrier, 0);
    }

    /** For tests of the acquisitions field wrapping: starts as if {@code acquisitions} calls had run. */
    SemaphoreBulkhead(String name, BulkheadConfig config, Clock clock, long acquisitions) {
        this(name, config, clock, ContextCarrier.none(), acquisitions);
    }

    private SemaphoreBulkhead(String name, BulkheadConfig config, Clock clock, ContextCarrier carrier, long acquisitions) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.carrier = Objects.requireNonNull(carrier, "carrier");
        this.maxConcurrentCalls = config.maxConcurrentCalls();
        this.maxWaitNanos = Durations.saturatedNanos(config.maxWaitDuration());
        this.permits.set(PERMITS, acquisitions << 32);
        this.wraps.set(acquisitions >>> 32);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public BulkheadConfig config() {
        return config;
    }

    /**
     * The permit word is left alone: it holds exactly the permits of the calls in flight, whatever the maximum. Only
     * the bound that acquisitions compare it with changes, so nothing is lost or doubled. A raise frees permits for
     * the queued waiters, which only a release or an enqueue would otherwise drain to.
     */
    @Override
    public void reconfigure(BulkheadConfig newConfig) {
        Objects.requireNonNull(newConfig, "config");
        BulkheadConfig old;
        reconfiguring.lock(); // reconfigurations only, never a call: keeps the three fields of one config together
        try {
            old = config;
            maxWaitNanos = Durations.saturatedNanos(newConfig.maxWaitDuration());
            maxConcurrentCalls = newConfig.maxConcurrentCalls();
            config = newConfig;
        } finally {
            reconfiguring.unlock();
        }
        if (waiting.get() != 0) {
            drain();
        }
        if (events.hasListeners()) {
            events.publish(new BulkheadEvent(name, BulkheadEvent.Type.CONFIG_CHANGED, clock.currentTimeMillis(),
                    availableNow(), java.util.Map.of("from", old.toString(), "to", newConfig.toString())));
        }
    }

    @Override
    public BulkheadMetrics metrics() {
        long permitted;
        long stamp = grantAccounting.writeLock();
        try {
            // Every grant's mark is paired with its acquisition, no wrap is half done; a granted call starting
            // meanwhile only adds one.
            long word = permits.get(PERMITS);
            permitted = (wraps.get() << 32) + (word >>> 32) - grantsNotCalled.sum();
        } finally {
            grantAccounting.unlockWrite(stamp);
        }
        return new BulkheadMetrics(maxConcurrentCalls, availableNow(), waiting.get(), permitted, rejected.sum());
    }

    @Override
    public Events<BulkheadEvent> events() {
        return events;
    }

    @Override
    public String toString() {
        return "Bulkhead[" + name + ", " + config + "]";
    }

    // ---------------------------------------------------------------------------------------------
    // Synchronous

    @Override
    public Invoker decorate(Invoker next) {
        Objects.requireNonNull(next, "next");
        return new Invoker() {
            @Override
            public Object invoke(Object call, Invoker.Runner runner) throws Throwable {
                acquireOrThrow();
                boolean listened = events.hasListeners();
                try {
                    if (listened) {
                        publish(BulkheadEvent.Type.CALL_PERMITTED);
                    }
                    return next.invoke(call, runner);
                } finally {
                    finish(listened);
                }
            }
        };
    }

    private void acquireOrThrow() {
        if (tryTakePermit()) {
            return;
        }
        if (maxWaitNanos == 0) {
            throw onRejected(false);
        }
        Waiter waiter = enqueue();
        boolean granted;
        try {
            granted = waiter.get();
        } catch (InterruptedException e) {
            if (waiter.complete(Boolean.FALSE)) {
                abandon(waiter);
            } else if (Boolean.TRUE.equals(waiter.getNow(Boolean.FALSE))) {
                // Granted just as we were interrupted: the permit is ours, give it back (no call ran, and the
                // grant stays counted as not a call).
                releasePermit();
            }
            // else: timed out just as we were interrupted; the timer abandoned the waiter, no permit is ours.
            Thread.currentThread().interrupt();
            throw onRejected(true);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // never completed exceptionally
        }
        if (!granted) {
            throw onRejected(false);
        }
        grantsNotCalled.decrement(); // the call runs now
    }

    // ---------------------------------------------------------------------------------------------
    // Asynchronous

    @Override
    public AsyncInvoker decorateAsync(AsyncInvoker next) {
        Objects.requireNonNull(next, "next");
        return call -> {
            if (tryTakePermit()) {
                return run(next, call, new CompletableFuture<>(), false);
            }
            if (maxWaitNanos == 0) {
                return CompletableFuture.failedFuture(onRejected(false));
            }
            CompletableFuture<Object> result = new CompletableFuture<>();
            // Granted on the releasing thread, or refused on the timer's: either way in this caller's context.
            CallerContext caller = CallerContext.capture(carrier);
            Waiter waiter = enqueue();
            waiter.whenComplete((granted, ignored) -> caller.run(() -> {
                if (Boolean.TRUE.equals(granted)) {
                    run(next, call, result, true);
                } else if (!result.isDone()) {
                    result.completeExceptionally(onRejected(false));
                }
            }));
            // A caller cancelling while queued leaves the queue; a permit can no longer be handed to it.
            result.whenComplete((v, t) -> {
                if (result.isCancelled() && waiter.complete(Boolean.FALSE)) {
                    abandon(waiter);
                }
            });
            return result;
        };
    }

    /**
     * Runs the call holding a permit, {@code granted} to it as a waiter or taken at once. The permit is returned
     * exactly once: when the call's own stage completes, at once if the supplier threw or returned null, or at
     * once if {@code result} was cancelled while queued.
     * Cancelling {@code result} after the call started cancels the call's stage; completing it exceptionally from
     * outside (an outer timeout abandoning the call) first completes the call's stage with that same exception, so a
     * policy inside (a circuit breaker) records the real reason rather than a cancellation, and then cancels it. The
     * permit comes back when that stage has completed, so a call still running never leaves its permit free for another.
     */
    private CompletionStage<?> run(AsyncInvoker next, Supplier<? extends CompletionStage<?>> call,
                                   CompletableFuture<Object> result, boolean granted) {
        if (result.isDone()) {
            releasePermit(); // cancelled while queued: the call does not run, its grant stays counted as not a call
            return result;
        }
        if (granted) {
            grantsNotCalled.decrement(); // the call runs now
        }
        boolean listened = events.hasListeners();
        CompletionStage<?> stage;
        try {
            if (listened) {
                publish(BulkheadEvent.Type.CALL_PERMITTED);
            }
            stage = next.invoke(call);
        } catch (Throwable t) {
            finish(listened);
            result.completeExceptionally(t);
            return result;
        }
        if (stage == null) {
            finish(listened);
            result.completeExceptionally(new NullPointerException("the asynchronous call returned null instead of a CompletionStage"));
            return result;
        }
        stage.whenComplete(finishAndForwardTo(result, listened));
        result.whenComplete((v, t) -> {
            if (t != null) {
                abandon(stage, t);
            }
        });
        return result;
    }

    private BiConsumer<Object, Throwable> finishAndForwardTo(CompletableFuture<Object> result, boolean listened) {
        return (v, t) -> {
            finish(listened);
            if (t != null) {
                result.completeExceptionally(t);
            } else {
                result.complete(v);
            }
        };
    }

    /**
     * The caller's stage failed (or was cancelled) while the call's may still run: pass the reason in, then cancel.
     * Does nothing once the call's stage has completed (its outcome is what completed the caller's).
     */
    private static void abandon(CompletionStage<?> stage, Throwable reason) {
        try {
            CompletableFuture<?> inner = stage.toCompletableFuture();
            if (inner.isDone()) {
                return;
            }
            Throwable cause = reason instanceof java.util.concurrent.CompletionException && reason.getCause() != null
                    ? reason.getCause() : reason;
            if (!(cause instanceof java.util.concurrent.CancellationException)) {
                inner.completeExceptionally(cause);
            }
            inner.cancel(true);
        } catch (UnsupportedOperationException ignored) {
            // a stage that cannot be converted cannot be cancelled: its permit comes back when it completes
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Permits

    @Override
    public Permit tryAcquire() {
        if (!tryTakePermit()) {
            rejectedWithoutException();
            return null;
        }
        boolean listened = events.hasListeners();
        if (listened) {
            publish(BulkheadEvent.Type.CALL_PERMITTED);
        }
        return new Token(this, listened);
    }

    /**
     * A permit of {@link #tryAcquire()}: what a wrapped call keeps on its stack (whether it started with a listener),
     * plus a flag that lets exactly one release through (a CAS, so concurrent releases settle it once).
     */
    private static final class Token implements Permit {

        private static final VarHandle RELEASED;

        static {
            try {
                RELEASED = MethodHandles.lookup().findVarHandle(Token.class, "released", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final SemaphoreBulkhead bulkhead;
        private final boolean listened;
        @SuppressWarnings("unused") // through RELEASED
        private volatile boolean released;

        Token(SemaphoreBulkhead bulkhead, boolean listened) {
            this.bulkhead = bulkhead;
            this.listened = listened;
        }

        @Override
        public boolean release() {
            if (!RELEASED.compareAndSet(this, false, true)) {
                return false;
            }
            bulkhead.finish(listened);
            return true;
        }

        @Override
        public String toString() {
            return "Permit of " + bulkhead + (released ? ", released" : ", unreleased");
        }
    }

    /** Takes a permit if one is free; {@code false} means the bulkhead was full when the word was last read. */
    private boolean tryTakePermit() {
        long word = permits.get(PERMITS);
        for (;;) {
            if ((int) word >= maxConcurrentCalls) {
                return false;
            }
            if ((word >>> 32) == LAST_BEFORE_WRAP) {
                return tryAcquireAcrossWrap(false);
            }
            long witness = permits.compareAndExchange(PERMITS, word, word + ONE_ACQUISITION);
            if (witness == word) {
                return true;
            }
            word = witness;
        }
    }

    /**
     * {@link #tryTakePermit()} when the acquisitions field may wrap: holding {@link #grantAccounting} shared (taken
     * here unless {@code sharedHeld}), so that {@link #metrics()} sees the wrap and its count together.
     */
    private boolean tryAcquireAcrossWrap(boolean sharedHeld) {
        long stamp = sharedHeld ? 0 : grantAccounting.readLock();
        try {
            long word = permits.get(PERMITS);
            for (;;) {
                if ((int) word >= maxConcurrentCalls) {
                    return false;
                }
                long witness = permits.compareAndExchange(PERMITS, word, word + ONE_ACQUISITION);
                if (witness == word) {
                    if ((word >>> 32) == LAST_BEFORE_WRAP) {
                        wraps.incrementAndGet(); // only the acquisition from the last value wraps the field
                    }
                    return true;
                }
                word = witness;
            }
        } finally {
            if (!sharedHeld) {
                grantAccounting.unlockRead(stamp);
            }
        }
    }

    /** Ends a permitted call: its permit back, then its event if it started with a listener. */
    private void finish(boolean listened) {
        releasePermit();
        if (listened) {
            publish(BulkheadEvent.Type.CALL_FINISHED);
        }
    }

    /** Takes a permit for a waiter, counted as not a call until the waiter's call starts (see the class comment). */
    private boolean tryAcquireForWaiter() {
        long stamp = grantAccounting.readLock();
        try {
            if (!tryAcquireAcrossWrap(true)) {
                return false;
            }
            grantsNotCalled.increment();
            return true;
        } finally {
            grantAccounting.unlockRead(stamp);
        }
    }

    private void releasePermit() {
        permits.getAndAdd(PERMITS, -1);
        // A waiter counts itself before it queues and drains after queueing, so reading the counter (a plain
        // volatile read, cheaper than inspecting the queue) never leaves it without the permit just freed.
        if (waiting.get() != 0) {
            drain();
        }
    }

    /**
     * The permits free now: one read of the word, so within [0, maxConcurrentCalls] (0, not below, while more calls
     * are in flight than a lowered maximum allows).
     */
    private int availableNow() {
        return Math.max(0, maxConcurrentCalls - (int) permits.get(PERMITS));
    }

    private Waiter enqueue() {
        Waiter waiter = new Waiter();
        waiting.incrementAndGet();
        waiter.timer = clock.schedule(() -> {
            if (waiter.complete(Boolean.FALSE)) {
                abandon(waiter);
            }
        }, maxWaitNanos);
        waiters.add(waiter);
        drain();
        return waiter;
    }

    /** Called once by whoever completed the waiter with {@code false}. */
    private void abandon(Waiter waiter) {
        waiting.decrementAndGet();
        Scheduled timer = waiter.timer;
        if (timer != null) {
            timer.cancel();
        }
        waiters.remove(waiter);
    }

    /**
     * Hands free permits to queued waiters, oldest first, skipping those already timed out or cancelled.
     *
     * <p>Granting a permit to an asynchronous waiter runs its call on this thread, and a call that completes
     * at once returns its permit, which drains again: a recursion as deep as the queue is long. Below a small
     * depth the nested drain runs; deeper, it returns at once, because a drain further up this thread's stack
     * loops and re-checks the queue and the permits as soon as the grant it is making returns.
     */
    private void drain() {
        int[] depth = drainDepth.get();
        if (depth[0] >= MAX_NESTED_DRAINS) {
            return;
        }
        depth[0]++;
        try {
            drainLoop();
        } finally {
            depth[0]--;
        }
    }

    private static final int MAX_NESTED_DRAINS = 4;
    private final ThreadLocal<int[]> drainDepth = ThreadLocal.withInitial(() -> new int[1]);

    private void drainLoop() {
        for (;;) {
            Waiter head = waiters.peek();
            if (head == null) {
                return;
            }
            if (head.isDone()) {
                waiters.remove(head);
                continue;
            }
            if (!tryAcquireForWaiter()) {
                return;
            }
            Waiter polled = waiters.poll();
            if (polled != null && polled.complete(Boolean.TRUE)) {
                waiting.decrementAndGet();
                polled.timer.cancel();
                continue;
            }
            // Nobody to hand it to after all (taken by another drain, timed out, cancelled): give it back, the
            // grant counted as not a call. Not through releasePermit(): this loop is the drain, and it re-checks
            // the queue at once.
            permits.getAndAdd(PERMITS, -1);
        }
    }

    /** A caller waiting for a permit: completed with {@code true} (granted) or {@code false} (gave up), once. */
    private static final class Waiter extends CompletableFuture<Boolean> {
        volatile Scheduled timer;
    }

    // ---------------------------------------------------------------------------------------------
    // Events

    private void rejectedWithoutException() {
        rejected.increment();
        if (events.hasListeners()) {
            publish(BulkheadEvent.Type.CALL_REJECTED);
        }
    }

    private void publish(BulkheadEvent.Type type) {
        events.publish(new BulkheadEvent(name, type, clock.currentTimeMillis(), availableNow()));
    }

    private BulkheadFullException onRejected(boolean interrupted) {
        rejectedWithoutException();
        String message = "Bulkhead '" + name + "' is full: all " + maxConcurrentCalls + " concurrent calls are taken"
                + (interrupted
                ? "; the caller was interrupted while waiting for a permit (maxWaitDuration " + config.maxWaitDuration() + ")"
                : maxWaitNanos == 0 ? " and maxWaitDuration is 0" : " and none was freed within maxWaitDuration " + config.maxWaitDuration());
        return new BulkheadFullException(name, message);
    }
}

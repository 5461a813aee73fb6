package dev.resilience.bulkhead.internal;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.BulkheadEvent;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.bulkhead.BulkheadMetrics;
import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Clock;
import dev.resilience.core.Durations;
import dev.resilience.core.EventPublisher;
import dev.resilience.core.Events;
import dev.resilience.core.Invoker;
import dev.resilience.core.PolicySupport;
import dev.resilience.core.Scheduled;
import dev.resilience.core.ThrowingSupplier;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The {@link Bulkhead} implementation.
 *
 * <p>Permits are an {@link AtomicInteger}: the uncontended acquire is one compare-and-set, the release one
 * increment, neither locks nor allocates. Callers that must wait (all permits taken, {@code maxWaitDuration
 * > 0}) enqueue a {@link Waiter} in a FIFO queue and a timer on the clock. A waiter is completed exactly once,
 * by whichever comes first: a release handing it a permit ({@code complete(true)}), its timer
 * ({@code complete(false)}), or its caller's interrupt. Completion is a compare-and-set, so a waiter that timed
 * out can never swallow a permit: the release path then fails to complete it, returns the permit and moves
 * on to the next waiter.
 *
 * <p>No lost wake-ups: a permit free while a live waiter is queued is a state that only a release or an
 * enqueue can create, and both are followed by {@link #drain()}, which hands free permits to queued waiters
 * until one side is empty.
 */
public final class SemaphoreBulkhead extends PolicySupport implements Bulkhead {

    private final String name;
    private final BulkheadConfig config;
    private final Clock clock;
    private final int maxConcurrentCalls;
    private final long maxWaitNanos;
    private final AtomicInteger available;
    private final AtomicInteger waiting = new AtomicInteger();
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final LongAdder permitted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final EventPublisher<BulkheadEvent> events = new EventPublisher<>();

    /**
     * @param name instance name
     * @param config settings
     * @param clock times waits and stamps events
     */
    public SemaphoreBulkhead(String name, BulkheadConfig config, Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxConcurrentCalls = config.maxConcurrentCalls();
        this.maxWaitNanos = Durations.saturatedNanos(config.maxWaitDuration());
        this.available = new AtomicInteger(maxConcurrentCalls);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public BulkheadConfig config() {
        return config;
    }

    @Override
    public BulkheadMetrics metrics() {
        return new BulkheadMetrics(maxConcurrentCalls, Math.max(0, available.get()), waiting.get(),
                permitted.sum(), rejected.sum());
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
                try {
                    return next.invoke(call, runner);
                } finally {
                    release();
                }
            }
        };
    }

    private void acquireOrThrow() {
        if (tryAcquire()) {
            onPermitted();
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
            if (!waiter.complete(Boolean.FALSE)) {
                // Granted just as we were interrupted: the permit is ours, give it back (no call ran).
                returnPermit();
            } else {
                abandon(waiter);
            }
            Thread.currentThread().interrupt();
            throw onRejected(true);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // never completed exceptionally
        }
        if (!granted) {
            throw onRejected(false);
        }
        onPermitted();
    }

    // ---------------------------------------------------------------------------------------------
    // Asynchronous

    @Override
    public AsyncInvoker decorateAsync(AsyncInvoker next) {
        Objects.requireNonNull(next, "next");
        return call -> {
            if (tryAcquire()) {
                return run(next, call, new CompletableFuture<>());
            }
            if (maxWaitNanos == 0) {
                return CompletableFuture.failedFuture(onRejected(false));
            }
            CompletableFuture<Object> result = new CompletableFuture<>();
            Waiter waiter = enqueue();
            waiter.whenComplete((granted, ignored) -> {
                if (Boolean.TRUE.equals(granted)) {
                    run(next, call, result);
                } else if (!result.isDone()) {
                    result.completeExceptionally(onRejected(false));
                }
            });
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
     * Runs the call holding a permit. The permit is returned exactly once: when the call's own stage completes,
     * at once if the supplier threw or returned null, or at once if {@code result} was cancelled while queued.
     * Cancelling {@code result} after the call started cancels the call's stage; the permit comes back when
     * that stage has completed, so a call still running never leaves its permit free for another.
     */
    private CompletionStage<?> run(AsyncInvoker next, Supplier<? extends CompletionStage<?>> call,
                                   CompletableFuture<Object> result) {
        if (result.isDone()) {
            release(); // cancelled while queued: the call does not run
            return result;
        }
        onPermitted();
        CompletionStage<?> stage;
        try {
            stage = next.invoke(call);
        } catch (Throwable t) {
            release();
            result.completeExceptionally(t);
            return result;
        }
        if (stage == null) {
            release();
            result.completeExceptionally(new NullPointerException("the asynchronous call returned null instead of a CompletionStage"));
            return result;
        }
        stage.whenComplete(releaseAndForwardTo(result));
        result.whenComplete((v, t) -> {
            if (result.isCancelled()) {
                cancel(stage);
            }
        });
        return result;
    }

    private BiConsumer<Object, Throwable> releaseAndForwardTo(CompletableFuture<Object> result) {
        return (v, t) -> {
            release();
            if (t != null) {
                result.completeExceptionally(t);
            } else {
                result.complete(v);
            }
        };
    }

    private static void cancel(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException ignored) {
            // a stage that cannot be converted cannot be cancelled: its permit comes back when it completes
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Permits

    private boolean tryAcquire() {
        for (;;) {
            int current = available.get();
            if (current <= 0) {
                return false;
            }
            if (available.compareAndSet(current, current - 1)) {
                return true;
            }
        }
    }

    private void release() {
        returnPermit();
        if (events.hasListeners()) {
            events.publish(new BulkheadEvent(name, BulkheadEvent.Type.CALL_FINISHED, clock.currentTimeMillis(), available.get()));
        }
    }

    private void returnPermit() {
        available.incrementAndGet();
        // A waiter counts itself before it queues and drains after queueing, so reading the counter (a plain
        // volatile read, cheaper than inspecting the queue) never leaves it without the permit just freed.
        if (waiting.get() != 0) {
            drain();
        }
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
            if (!tryAcquire()) {
                return;
            }
            Waiter polled = waiters.poll();
            if (polled != null && polled.complete(Boolean.TRUE)) {
                waiting.decrementAndGet();
                polled.timer.cancel();
                continue;
            }
            // Nobody to hand it to after all (taken by another drain, timed out, cancelled): give it back.
            available.incrementAndGet();
        }
    }

    /** A caller waiting for a permit: completed with {@code true} (granted) or {@code false} (gave up), once. */
    private static final class Waiter extends CompletableFuture<Boolean> {
        volatile Scheduled timer;
    }

    // ---------------------------------------------------------------------------------------------
    // Events

    private void onPermitted() {
        permitted.increment();
        if (events.hasListeners()) {
            events.publish(new BulkheadEvent(name, BulkheadEvent.Type.CALL_PERMITTED, clock.currentTimeMillis(), available.get()));
        }
    }

    private BulkheadFullException onRejected(boolean interrupted) {
        rejected.increment();
        if (events.hasListeners()) {
            events.publish(new BulkheadEvent(name, BulkheadEvent.Type.CALL_REJECTED, clock.currentTimeMillis(), available.get()));
        }
        String message = "Bulkhead '" + name + "' is full: all " + maxConcurrentCalls + " concurrent calls are taken"
                + (interrupted
                ? "; the caller was interrupted while waiting for a permit (maxWaitDuration " + config.maxWaitDuration() + ")"
                : maxWaitNanos == 0 ? " and maxWaitDuration is 0" : " and none was freed within maxWaitDuration " + config.maxWaitDuration());
        return new BulkheadFullException(name, message);
    }
}

package dev.resilience.core;

import dev.resilience.core.internal.Durations;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * Admits calls until it is closed, counts those in flight, and lets a shutdown wait until they have
 * finished. Entering and exiting cost one striped counter update each (no lock, no allocation), so every
 * call can pass through it.
 *
 * <pre>{@code
 * if (!gate.tryEnter()) throw new ShutdownInProgressException(name);
 * try { return work(); } finally { gate.exit(); }
 * ...
 * gate.close();                                  // new calls are refused from now on
 * ShutdownGate.DrainResult r = gate.awaitDrained(Duration.ofSeconds(30), clock);
 * }</pre>
 *
 * <p>Closing refuses new top-level calls only: a drain lets admitted work finish, and admitted work may call
 * further protected methods. The code that runs the work of an admitted call marks the thread it runs on
 * ({@link #admittedWork()}, {@link AdmittedWork#begin()} ... {@link AdmittedWork#end()}); a call made on a marked
 * thread passes a closed gate (and is counted like any other). The mark belongs to the thread, not to one gate.
 * Work continued on another thread is covered where the code running it there marks that thread too; a stage
 * completing later on a thread nobody marked makes a new top-level call.
 *
 * <p>Thread-safe.
 */
public final class ShutdownGate {

    private static final ThreadLocal<AdmittedWork> ADMITTED_WORK = ThreadLocal.withInitial(AdmittedWork::new);

    private final LongAdder inFlight = new LongAdder();
    private volatile boolean closed;

    /**
     * Enters the gate. The count is raised before the closed flag is read, so a call either sees the gate
     * open and is counted by any later drain, or sees it closed and is refused, unless it is made from inside
     * admitted work (see {@link #admittedWork()}), which a drain lets finish.
     *
     * @return {@code true} if the call may run (then {@link #exit()} must follow exactly once)
     */
    public boolean tryEnter() {
        inFlight.increment();
        // Only a closed gate reads the thread's mark, so an open gate costs what it did.
        if (closed && !ADMITTED_WORK.get().isRunning()) {
            inFlight.decrement();
            return false;
        }
        return true;
    }

    /**
     * @return the current thread's mark of admitted work: whoever runs the work of an admitted call (the method
     *     itself, its fallback) on a thread calls {@link AdmittedWork#begin()} before and {@link AdmittedWork#end()}
     *     after, so that the calls it makes pass a closed gate
     */
    public static AdmittedWork admittedWork() {
        return ADMITTED_WORK.get();
    }

    /** Marks a call admitted by {@link #tryEnter()} as finished. */
    public void exit() {
        inFlight.decrement();
    }

    /** Refuses every call from now on. Idempotent. */
    public void close() {
        closed = true;
    }

    /** @return whether the gate has been closed */
    public boolean isClosed() {
        return closed;
    }

    /** @return calls admitted and not yet finished */
    public long inFlight() {
        return Math.max(0, inFlight.sum());
    }

    /**
     * Waits until no admitted call is in flight, or the timeout passes. Call after {@link #close()}.
     *
     * @param timeout the longest wait (any length: one longer than about 292 years waits until drained)
     * @param clock the time source
     * @return how many were in flight at the start, and how many remained at the end (abandoned)
     * @throws InterruptedException if interrupted while waiting
     */
    public DrainResult awaitDrained(Duration timeout, Clock clock) throws InterruptedException {
        long start = clock.nanoTime();
        long timeoutNanos = Durations.saturatedNanos(timeout); // longer than a long holds: wait "for ever"
        long initially = inFlight();
        long remaining = initially;
        while (remaining > 0) {
            long left = timeoutNanos - (clock.nanoTime() - start); // elapsed time, so no deadline can overflow
            if (left <= 0) {
                break;
            }
            // Drains are rare and short-lived: polling every few milliseconds keeps exit() free of signalling.
            clock.sleep(Math.min(left, 5_000_000L));
            remaining = inFlight();
        }
        return new DrainResult(initially, remaining, Duration.ofNanos(clock.nanoTime() - start));
    }

    /**
     * The outcome of a drain.
     *
     * @param inFlightAtStart calls in flight when the drain began
     * @param abandoned calls still in flight when it ended (the timeout passed)
     * @param took how long the drain took
     */
    public record DrainResult(long inFlightAtStart, long abandoned, Duration took) {

        /** @return calls that finished during the drain */
        public long finished() {
            return Math.max(0, inFlightAtStart - abandoned);
        }
    }

    /**
     * Whether the thread it belongs to is running the work of an admitted call. Confined to that thread: obtain
     * it with {@link #admittedWork()} and use it only there. Nested work nests ({@code begin} counts).
     */
    public static final class AdmittedWork {

        private int depth;

        private AdmittedWork() {
        }

        /** Marks the start of admitted work on this thread; {@link #end()} must follow exactly once, on this thread. */
        public void begin() {
            depth++;
        }

        /** Marks the end of the work begun by the matching {@link #begin()}. */
        public void end() {
            depth--;
        }

        /** @return whether this thread is inside admitted work */
        public boolean isRunning() {
            return depth > 0;
        }
    }
}

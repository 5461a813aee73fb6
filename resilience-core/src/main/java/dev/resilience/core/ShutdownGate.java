package dev.resilience.core;

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
 * <p>Thread-safe.
 */
public final class ShutdownGate {

    private final LongAdder inFlight = new LongAdder();
    private volatile boolean closed;

    /**
     * Enters the gate. The count is raised before the closed flag is read, so a call either sees the gate
     * open and is counted by any later drain, or sees it closed and is refused.
     *
     * @return {@code true} if the call may run (then {@link #exit()} must follow exactly once)
     */
    public boolean tryEnter() {
        inFlight.increment();
        if (closed) {
            inFlight.decrement();
            return false;
        }
        return true;
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
}

package dev.resilience.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link System#nanoTime()} as of the last tick of a daemon thread, for {@link Clock#coarseNanoTime()}: reading it
 * is a volatile read instead of a clock read (about 30 ns on some virtual machines).
 *
 * <p>The thread ({@code resilience-ticker}) runs only while the time is being read: it ticks every
 * {@link #TICK_NANOS}, and ends after {@link #IDLE_TICKS} ticks in which nobody read; the next read starts it
 * again. Until it has ticked once after starting, readers get {@link System#nanoTime()} itself. A reader marks the
 * time as read only when the mark is not set yet, so concurrent readers write the shared line at most once per
 * tick. The value lags real time by at most a tick plus however long the thread waits for a CPU, and is never ahead
 * of it. It is not strictly monotonic across the start of the thread (a reader may get the exact time just before
 * the first tick's slightly earlier value): fine for choosing a per-second bucket, and for telling whether a call took
 * longer than a threshold of a hundred ticks or more (a duration from two reads is off by less than a tick, plus any
 * time the thread waited for a CPU), which is all it is for. A call longer than {@link #IDLE_TICKS} ticks with no
 * other reader meanwhile ends with the exact time (the thread has stopped), so it is measured too long by at most the
 * lag of its start.
 */
final class CoarseTicker {

    /** How often the time is refreshed: 10 ms, a hundredth of the per-second buckets it serves. */
    static final long TICK_NANOS = 10_000_000L;
    /** Ticks without a reader after which the thread ends: one second. */
    static final int IDLE_TICKS = 100;

    private static final int STOPPED = 0;
    private static final int STARTING = 1;
    private static final int RUNNING = 2;

    static final CoarseTicker INSTANCE = new CoarseTicker();

    private final AtomicInteger state = new AtomicInteger(STOPPED);
    private volatile long now;
    private volatile boolean read;

    private CoarseTicker() {
    }

    /** @return the time of the last tick, or the exact time while the ticker is not running */
    long nanoTime() {
        if (!read) {
            read = true;
        }
        if (state.get() == RUNNING) {
            return now;
        }
        if (state.compareAndSet(STOPPED, STARTING)) {
            Thread thread = new Thread(this::run, "resilience-ticker");
            thread.setDaemon(true);
            thread.start();
        }
        return System.nanoTime();
    }

    private void run() {
        int idle = 0;
        while (true) {
            now = System.nanoTime();
            state.set(RUNNING);
            if (read) {
                read = false;
                idle = 0;
            } else if (++idle >= IDLE_TICKS) {
                state.set(STOPPED);
                // A reader that saw RUNNING just before the stop has set the mark; it keeps reading the last tick
                // only until its next read, which starts a new thread. Re-check so that such a reader is not left
                // with a value that no longer moves.
                if (!read || !state.compareAndSet(STOPPED, STARTING)) {
                    return;
                }
                idle = 0;
                continue;
            }
            LockSupport.parkNanos(this, TICK_NANOS);
        }
    }
}

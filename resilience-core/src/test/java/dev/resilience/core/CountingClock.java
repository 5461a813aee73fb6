package dev.resilience.core;

import java.util.concurrent.atomic.AtomicInteger;

/** A {@link ManualClock} that counts the reads of monotonic time, exact and coarse, so tests can pin down clock use. */
public final class CountingClock implements Clock {

    /** The time itself; advance it through here. */
    public final ManualClock time = new ManualClock();
    /** Reads of {@link #nanoTime()}. */
    public final AtomicInteger nanoTimeReads = new AtomicInteger();
    /** Reads of {@link #coarseNanoTime()}. */
    public final AtomicInteger coarseReads = new AtomicInteger();
    /** What {@link #coarseResolutionNanos()} reports (the coarse time itself stays exact); default 0. */
    public volatile long coarseResolution;

    @Override
    public long nanoTime() {
        nanoTimeReads.incrementAndGet();
        return time.nanoTime();
    }

    @Override
    public long coarseNanoTime() {
        coarseReads.incrementAndGet();
        return time.nanoTime();
    }

    @Override
    public long coarseResolutionNanos() {
        return coarseResolution;
    }

    @Override
    public long currentTimeMillis() {
        return time.currentTimeMillis();
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        time.sleep(nanos);
    }

    @Override
    public Scheduled schedule(Runnable task, long delayNanos) {
        return time.schedule(task, delayNanos);
    }
}

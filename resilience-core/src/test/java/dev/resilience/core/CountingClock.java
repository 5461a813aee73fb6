package dev.resilience.core;

import java.util.concurrent.atomic.AtomicInteger;

/** A {@link ManualClock} that counts the reads of monotonic time, exact and coarse, so tests can pin down clock use. */
public final class CountingClock extends ForwardingClock {

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
}

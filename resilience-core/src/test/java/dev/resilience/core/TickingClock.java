package dev.resilience.core;

/**
 * A {@link ManualClock} whose coarse time behaves as the system clock's does on a machine with a CPU to spare: the
 * exact time as of the last tick, ticks {@link #tickNanos} apart, and that period as its resolution. For testing what
 * a policy makes of the coarse time without real time.
 */
public final class TickingClock extends ForwardingClock {

    /** The period of the ticks. */
    public final long tickNanos;

    /** @param tickNanos the period of the ticks, positive */
    public TickingClock(long tickNanos) {
        this.tickNanos = tickNanos;
    }

    @Override
    public long coarseNanoTime() {
        return Math.floorDiv(time.nanoTime(), tickNanos) * tickNanos;
    }

    @Override
    public long coarseResolutionNanos() {
        return tickNanos;
    }
}

package dev.resilience.core;

/**
 * A {@link ManualClock} whose coarse time behaves as the system clock's does on a machine with a CPU to spare: the
 * exact time as of the last tick, ticks {@link #tickNanos} apart, and that period as its resolution. For testing what
 * a policy makes of the coarse time without real time.
 */
public final class TickingClock implements Clock {

    /** The time itself; advance it through here. */
    public final ManualClock time = new ManualClock();
    /** The period of the ticks. */
    public final long tickNanos;

    /** @param tickNanos the period of the ticks, positive */
    public TickingClock(long tickNanos) {
        this.tickNanos = tickNanos;
    }

    @Override
    public long nanoTime() {
        return time.nanoTime();
    }

    @Override
    public long coarseNanoTime() {
        return Math.floorDiv(time.nanoTime(), tickNanos) * tickNanos;
    }

    @Override
    public long coarseResolutionNanos() {
        return tickNanos;
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

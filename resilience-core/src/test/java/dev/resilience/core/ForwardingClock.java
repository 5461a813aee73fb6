package dev.resilience.core;

/**
 * A {@link Clock} whose time, sleeps and timers are those of a {@link ManualClock}: extend it and override the one
 * reading a test gives its own behaviour (counted, ticking, paused, a timer that cannot be cancelled). The coarse time
 * keeps {@link Clock}'s defaults, so it reads {@link #nanoTime()} as overridden.
 */
public abstract class ForwardingClock implements Clock {

    /** The time itself; advance it through here. */
    public final ManualClock time;

    /** Over a new {@link ManualClock} of its own. */
    protected ForwardingClock() {
        this(new ManualClock());
    }

    /** @param time the clock to forward to, which the test may advance directly */
    protected ForwardingClock(ManualClock time) {
        this.time = time;
    }

    @Override
    public long nanoTime() {
        return time.nanoTime();
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

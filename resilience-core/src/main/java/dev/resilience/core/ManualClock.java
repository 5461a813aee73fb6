package dev.resilience.core;

import dev.resilience.core.internal.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A clock whose time moves only when told to: for tests of anything time-dependent (windows, open-state
 * waits, backoffs, rate periods, timeouts) without real waiting.
 *
 * <p>{@link #advance(Duration)} moves time forward and runs the scheduled tasks that fall due, in time
 * order, on the calling thread. {@link #sleep(long)} does not block: it advances time by the requested
 * amount, as if the sleeper had been the only thing running.
 *
 * <p>Times saturate instead of wrapping around: a task scheduled further ahead than a {@code long} of nanoseconds
 * reaches (a 1,000-year timeout, say) is due at {@link Long#MAX_VALUE} and never runs, and advancing past that
 * stops there. Thread-safe.
 */
public final class ManualClock implements Clock {

    /** The due time of a task scheduled too far ahead to be reached: it never runs; also where time stops. */
    private static final long NEVER = Long.MAX_VALUE;

    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private volatile long nanos;
    private final long epochMillisAtZero;
    private long sequence;

    /** Creates a clock at monotonic time 0 and wall time 2026-01-01T00:00:00Z. */
    public ManualClock() {
        this(1_767_225_600_000L);
    }

    /**
     * @param epochMillisAtZero the wall time that monotonic time 0 corresponds to
     */
    public ManualClock(long epochMillisAtZero) {
        this.epochMillisAtZero = epochMillisAtZero;
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long currentTimeMillis() {
        return epochMillisAtZero + Math.floorDiv(nanos, 1_000_000L);
    }

    @Override
    public void sleep(long sleepNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (sleepNanos > 0) {
            advanceNanos(sleepNanos);
        }
    }

    @Override
    public Scheduled schedule(Runnable task, long delayNanos) {
        lock.lock();
        try {
            Task t = new Task(later(nanos, delayNanos), sequence++, task);
            tasks.add(t);
            return () -> {
                lock.lock();
                try {
                    return tasks.remove(t);
                } finally {
                    lock.unlock();
                }
            };
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves time forward, running every task that falls due.
     *
     * @param duration how far; must not be negative
     */
    public void advance(Duration duration) {
        advanceNanos(Durations.saturatedNanos(duration));
    }

    /**
     * Moves time forward, running every task that falls due.
     *
     * @param delta nanoseconds; must not be negative
     */
    public void advanceNanos(long delta) {
        if (delta < 0) {
            throw new IllegalArgumentException("delta must be >= 0, but was " + delta);
        }
        long target;
        lock.lock();
        try {
            target = later(nanos, delta);
        } finally {
            lock.unlock();
        }
        runDueTasksUntil(target);
    }

    /**
     * Sets monotonic time to any value, backwards included, without running tasks: for testing that
     * nothing trusts time to be well behaved. Prefer {@link #advance(Duration)} otherwise.
     *
     * @param newNanos the new monotonic time
     */
    public void setNanoTime(long newNanos) {
        lock.lock();
        try {
            nanos = newNanos;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return how many scheduled tasks have not run yet
     */
    public int pendingTasks() {
        lock.lock();
        try {
            return tasks.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return {@code delay} after {@code now}, saturated: a time past the end of the {@code long} range is
     *     {@link #NEVER} (a delay of "practically for ever" must not wrap around into the past)
     */
    private static long later(long now, long delay) {
        long d = Math.max(0, delay);
        return now > NEVER - d ? NEVER : now + d;
    }

    private void runDueTasksUntil(long target) {
        while (true) {
            List<Runnable> due = new ArrayList<>();
            lock.lock();
            try {
                Task head = tasks.peek();
                if (head == null || head.dueNanos > target || head.dueNanos == NEVER) {
                    if (nanos < target) {
                        nanos = target;
                    }
                    return;
                }
                // Run tasks due at the same instant together, with time set to that instant.
                long at = head.dueNanos;
                if (nanos < at) {
                    nanos = at;
                }
                while (!tasks.isEmpty() && tasks.peek().dueNanos == at) {
                    due.add(tasks.poll().task);
                }
            } finally {
                lock.unlock();
            }
            for (Runnable task : due) {
                task.run();
            }
        }
    }

    private record Task(long dueNanos, long sequence, Runnable task) implements Comparable<Task> {
        @Override
        public int compareTo(Task other) {
            int byTime = Long.compare(dueNanos, other.dueNanos);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }
}

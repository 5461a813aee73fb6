package dev.resilience.circuitbreaker.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fast successes waiting to enter a CLOSED window: a striped count, and how much of it has been taken into the
 * window (and the running total) so far. For a time window, they all belong to one second.
 *
 * <p>Concurrent successes increment {@link #count} (a {@link LongAdder}: threads write different cells, not one
 * shared cache line). Whoever flushes them calls {@link #take()}, which hands each success to exactly one taker,
 * however many flush at once. See {@link ClosedState#deferSuccess} for when a success may wait here.
 */
final class DeferredSuccesses {

    /** The second of a time window these successes belong to; 0 for a count window. */
    final long second;
    final LongAdder count = new LongAdder();
    private final AtomicLong taken = new AtomicLong();

    DeferredSuccesses(long second) {
        this.second = second;
    }

    /** @return the successes counted since the last take, now taken by the caller alone */
    long take() {
        long total = count.sum();
        long done;
        while ((done = taken.get()) < total) {
            if (taken.compareAndSet(done, total)) {
                return total - done;
            }
        }
        return 0L;
    }
}

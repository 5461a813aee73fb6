package dev.resilience.circuitbreaker.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The outcomes of the last W seconds, in one-second buckets: O(1) per call, memory bounded by W, lock-free.
 *
 * <p>Time is monotonic ({@code nanoTime} relative to the window's creation), cut into whole seconds ("epochs").
 * Running totals of the four disjoint {@link Outcome} categories are kept in four atomics; a ring of W buckets,
 * each tagged with its epoch, holds the per-second counts.
 *
 * <p><b>Recording</b> increments the total FIRST and then the bucket. A bucket is expired by
 * {@code getAndSet(0)} of its counters followed by subtracting what was taken from the totals; since every
 * bucket increment is preceded by its total increment, a total never goes below zero. (A call that races with
 * the expiry of its bucket may end up counted in the bucket's next second: still counted once, consistently.)
 *
 * <p><b>Rolling</b> to a later second is done by the one thread that wins a CAS on the latest epoch: it expires
 * the buckets of the seconds between the old and the new latest epoch (at most W) and tags each with its new
 * epoch. A bucket is claimed for expiry by CAS-ing its tag to a negative marker, so two rollers can never expire
 * the same bucket twice nor move a tag backwards. Recorders wait (briefly) until their bucket carries their epoch.
 *
 * <p><b>Clock going backwards</b> (or reading before the window's creation): a second earlier than the latest
 * epoch is treated as the latest epoch, so nothing is corrupted; the window simply does not move until time has
 * caught up.
 *
 * <p>Readers read the four totals; each is {@code >= 0}, so derived counts keep
 * {@code 0 <= slowFailed <= failed <= buffered}.
 */
final class TimeWindow {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int size;
    private final long originNanos;
    private final AtomicLong latestEpoch = new AtomicLong();
    private final AtomicLongArray tags;
    private final AtomicLongArray counts;
    private final AtomicLong fastSuccesses = new AtomicLong();
    private final AtomicLong slowSuccesses = new AtomicLong();
    private final AtomicLong fastFailures = new AtomicLong();
    private final AtomicLong slowFailures = new AtomicLong();

    TimeWindow(int seconds, long originNanos) {
        this.size = seconds;
        this.originNanos = originNanos;
        this.tags = new AtomicLongArray(seconds);
        this.counts = new AtomicLongArray(seconds * 4);
    }

    /**
     * @param category one of the {@link Outcome} categories
     * @param nowNanos the clock's nanoTime
     */
    void record(int category, long nowNanos) {
        long second = secondOf(nowNanos);
        while (true) {
            long epoch = advanceTo(second);
            int index = (int) (epoch % size);
            long tag;
            int spins = 0;
            while ((tag = tags.get(index)) < epoch) {
                spins = backOff(spins);
            }
            if (tag != epoch) {
                // The window moved on meanwhile and this bucket already belongs to a later second: retry there.
                second = Long.MIN_VALUE;
                continue;
            }
            total(category).incrementAndGet();
            counts.incrementAndGet(index * 4 + category);
            return;
        }
    }

    /**
     * Moves the window to {@code nowNanos} (dropping seconds that fell out of it); the totals then describe the
     * window ending now.
     *
     * @param nowNanos the clock's nanoTime
     */
    void advance(long nowNanos) {
        advanceTo(secondOf(nowNanos));
    }

    long fastSuccesses() {
        return fastSuccesses.get();
    }

    long slowSuccesses() {
        return slowSuccesses.get();
    }

    long fastFailures() {
        return fastFailures.get();
    }

    long slowFailures() {
        return slowFailures.get();
    }

    /**
     * Adds fast successes to the bucket of {@code second}, a second the window has already reached, unless it has
     * left the window meanwhile (then they have expired, as they would have in it).
     *
     * @param second a second at most the latest
     * @param successes how many
     * @return whether they were added
     */
    boolean addSuccesses(long second, long successes) {
        int index = (int) (second % size);
        long tag;
        int spins = 0;
        while ((tag = tags.get(index)) < second) {
            spins = backOff(spins); // the roller that reached this second has not tagged its bucket yet
        }
        if (tag != second) {
            return false;
        }
        // Total first, then bucket, as in record: a racing expiry can then never take the total below zero.
        fastSuccesses.addAndGet(successes);
        counts.addAndGet(index * 4 + Outcome.SUCCESS, successes);
        return true;
    }

    /** @return the latest second the window has reached, counted from its creation */
    long latestSecond() {
        return latestEpoch.get();
    }

    /** @return the second (counted from the window's creation) that {@code nowNanos} falls in */
    long secondOf(long nowNanos) {
        return Math.floorDiv(nowNanos - originNanos, NANOS_PER_SECOND);
    }

    private AtomicLong total(int category) {
        switch (category) {
            case Outcome.SUCCESS:
                return fastSuccesses;
            case Outcome.SLOW_SUCCESS:
                return slowSuccesses;
            case Outcome.FAILURE:
                return fastFailures;
            default:
                return slowFailures;
        }
    }

    /** @return the effective current second: {@code second}, or the latest epoch if that is later */
    private long advanceTo(long second) {
        while (true) {
            long latest = latestEpoch.get();
            if (second <= latest) {
                return latest;
            }
            if (latestEpoch.compareAndSet(latest, second)) {
                for (long e = Math.max(latest + 1, second - size + 1); e <= second; e++) {
                    expire((int) (e % size), e);
                }
                return second;
            }
        }
    }

    private void expire(int index, long epoch) {
        int spins = 0;
        while (true) {
            long tag = tags.get(index);
            if (tag < 0) {
                spins = backOff(spins); // another roller is expiring this bucket
                continue;
            }
            if (tag >= epoch) {
                return; // a later roller already took this bucket
            }
            if (tags.compareAndSet(index, tag, -epoch - 1)) {
                int base = index * 4;
                fastSuccesses.addAndGet(-counts.getAndSet(base + Outcome.SUCCESS, 0));
                slowSuccesses.addAndGet(-counts.getAndSet(base + Outcome.SLOW_SUCCESS, 0));
                fastFailures.addAndGet(-counts.getAndSet(base + Outcome.FAILURE, 0));
                slowFailures.addAndGet(-counts.getAndSet(base + Outcome.SLOW_FAILURE, 0));
                tags.set(index, epoch);
                return;
            }
        }
    }

    private static int backOff(int spins) {
        return CountWindow.backOff(spins);
    }
}

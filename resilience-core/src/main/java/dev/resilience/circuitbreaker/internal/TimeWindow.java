package dev.resilience.circuitbreaker.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The outcomes of the last W seconds, in one-second buckets: O(1) per call, memory bounded by W, without locks.
 * Not lock-free: a recorder waits for the roll that moves its bucket to its second, and a reader of the totals waits
 * for a roll in progress to finish (see "Rolling" and "Reading").
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
 * <p><b>Reading.</b> Each total is {@code >= 0}, so derived counts keep {@code 0 <= slowFailed <= failed <=
 * buffered}. The four totals cannot be read at one instant, so a reader guards against the two ways a read spread
 * over time could report a rate that never existed:
 * <ul>
 *   <li>An expiry takes a whole bucket out of the totals, one total after another. Read across it, the totals would
 *   mix the old bucket's failures with the successes left without it (10 failures in 100 calls plus one new
 *   failure would read as 11 failures in 12 calls). So every roll counts itself in {@code rollsStarted} before it
 *   expires anything and in {@code rollsFinished} after; a reader starts only when the two are equal (no roll in
 *   progress) and reads again when {@code rollsStarted} has moved by the end. Between its first and last read the
 *   totals then only grow.</li>
 *   <li>Totals that only grow, read one after another, can still describe no single instant. A rate
 *   {@code part / (part + rest)} is therefore read numerator first: the {@code part} totals, then the {@code rest}.
 *   At some instant after the {@code part} reads the real {@code rest} equalled the value read (it grew through
 *   it one call at a time) while the real {@code part} was at least the value read, so that instant's rate, with
 *   at least as many calls, was at least the reported one. The failure rate and the slow-call rate have different
 *   numerators, so each is read in its own order: a reported rate may be a little low, never high.</li>
 * </ul>
 *
 * <p><b>Closing</b> (for a change of configuration, {@link #close()}): every write (a record, a batch of successes,
 * a roll) counts itself in {@code writers} while it runs; closing sets the sign bit there, after which no write
 * starts (the writer is told, and records into the window that replaces this one), and waits for the writes under
 * way. A new window can then be filled with this one's seconds ({@link #resizedTo}).
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
    /** Rolls that have begun expiring buckets, and rolls that have finished: equal while none is in progress. */
    private final AtomicLong rollsStarted = new AtomicLong();
    private final AtomicLong rollsFinished = new AtomicLong();
    /** Writes under way, plus {@link Long#MIN_VALUE} once closed (see the class comment). */
    private final AtomicLong writers = new AtomicLong();
    /** Runs between the numerator and the rest of a rate's reads: a test's way to roll the window in between. */
    private final Runnable betweenReads;

    TimeWindow(int seconds, long originNanos) {
        this(seconds, originNanos, null);
    }

    /**
     * @param seconds the window's length
     * @param originNanos the clock's nanoTime at creation
     * @param betweenReads run in the middle of every rate read (tests force interleavings with it), or {@code null}
     */
    TimeWindow(int seconds, long originNanos, Runnable betweenReads) {
        this.size = seconds;
        this.originNanos = originNanos;
        this.tags = new AtomicLongArray(seconds);
        this.counts = new AtomicLongArray(seconds * 4);
        this.betweenReads = betweenReads;
    }

    /** @return whether a write may start (counted until {@link #endWrite()}); {@code false}: the window is closed */
    private boolean startWrite() {
        long w;
        do {
            w = writers.get();
            if (w < 0) {
                return false;
            }
        } while (!writers.compareAndSet(w, w + 1));
        return true;
    }

    private void endWrite() {
        writers.decrementAndGet();
    }

    /**
     * Stops the window: later writes are refused. Waits for the writes under way to finish.
     */
    void close() {
        writers.getAndAdd(Long.MIN_VALUE);
        int spins = 0;
        while (writers.get() != Long.MIN_VALUE) {
            spins = backOff(spins);
        }
    }

    /** @return whether {@link #close()} has begun */
    boolean closed() {
        return writers.get() < 0;
    }

    /**
     * A window of {@code seconds} on the same time line (the same second numbers), holding the latest seconds of this
     * closed one that fit.
     *
     * @param seconds the new window's length
     * @return the new window
     */
    TimeWindow resizedTo(int seconds) {
        TimeWindow resized = new TimeWindow(seconds, originNanos);
        long latest = latestEpoch.get();
        resized.latestEpoch.set(latest);
        for (long e = Math.max(0L, latest - seconds + 1); e <= latest; e++) {
            int to = (int) (e % seconds);
            resized.tags.set(to, e);
            int from = (int) (e % size);
            if (latest - e < size && tags.get(from) == e) {
                for (int c = 0; c < 4; c++) {
                    long n = counts.get(from * 4 + c);
                    resized.counts.set(to * 4 + c, n);
                    resized.total(c).addAndGet(n);
                }
            }
        }
        return resized;
    }

    /**
     * @param category one of the {@link Outcome} categories
     * @param nowNanos the clock's nanoTime
     * @return whether it was recorded; {@code false}: the window is closed
     */
    boolean record(int category, long nowNanos) {
        if (!startWrite()) {
            return false;
        }
        try {
            recordOpen(category, nowNanos);
        } finally {
            endWrite();
        }
        return true;
    }

    private void recordOpen(int category, long nowNanos) {
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
        if (!startWrite()) {
            return; // closed: its contents are final
        }
        try {
            advanceTo(secondOf(nowNanos));
        } finally {
            endWrite();
        }
    }

    /**
     * The failure rate at the first point, at or over {@code minimum} calls, as {@code added} more fast successes enter
     * the window one by one: with {@code added = 0} the current rate. Among the points at or over the minimum this is
     * where the rate is highest (each further success lowers it). Never higher than a rate the window really had
     * (see the class comment); waits out a roll in progress.
     *
     * @param added fast successes about to be added, 0 or more
     * @param minimum the minimum number of calls, at least 1
     * @return the rate in percent, or {@code -1} when the window does not reach {@code minimum} calls
     */
    float failureRate(long added, int minimum) {
        while (true) {
            long stamp = awaitNoRoll();
            long failed = slowFailures.get() + fastFailures.get();
            between();
            long rest = slowSuccesses.get() + fastSuccesses.get();
            if (rollsStarted.get() == stamp) {
                return rateAt(failed, failed + rest, added, minimum);
            }
        }
    }

    /**
     * The slow-call rate, read slow calls first; otherwise as {@link #failureRate(long, int)}.
     *
     * @param added fast successes about to be added, 0 or more
     * @param minimum the minimum number of calls, at least 1
     * @return the rate in percent, or {@code -1} when the window does not reach {@code minimum} calls
     */
    float slowCallRate(long added, int minimum) {
        while (true) {
            long stamp = awaitNoRoll();
            long slow = slowFailures.get() + slowSuccesses.get();
            between();
            long rest = fastFailures.get() + fastSuccesses.get();
            if (rollsStarted.get() == stamp) {
                return rateAt(slow, slow + rest, added, minimum);
            }
        }
    }

    private static float rateAt(long part, long before, long added, int minimum) {
        long point = Math.max(before + Math.min(added, 1L), minimum);
        if (point > before + added) {
            return -1f;
        }
        return part * 100f / point;
    }

    /**
     * Whether the window holds nothing but fast successes, or at least {@code calls} calls; {@code false} while a
     * roll is in progress or moves during the read (the caller then takes the path that needs no such promise).
     * Never waits.
     *
     * @param calls a number of calls
     * @return see above
     */
    boolean onlyFastSuccessesOrAtLeast(int calls) {
        long finished = rollsFinished.get();
        long stamp = rollsStarted.get();
        if (stamp != finished) {
            return false;
        }
        long others = slowSuccesses.get() + fastFailures.get() + slowFailures.get();
        boolean answer = others == 0 || fastSuccesses.get() + others >= calls;
        return answer && rollsStarted.get() == stamp;
    }

    /**
     * @return the four totals, indexed by {@link Outcome} category, with no roll in between (waits one out)
     */
    long[] counts() {
        while (true) {
            long stamp = awaitNoRoll();
            long[] totals = {fastSuccesses.get(), slowSuccesses.get(), fastFailures.get(), slowFailures.get()};
            if (rollsStarted.get() == stamp) {
                return totals;
            }
        }
    }

    /** @return the roll count to check the read against, once no roll is in progress */
    private long awaitNoRoll() {
        int spins = 0;
        while (true) {
            // Finished first: if it then equals started, every roll that had started had also finished.
            long finished = rollsFinished.get();
            long started = rollsStarted.get();
            if (started == finished) {
                return started;
            }
            spins = backOff(spins);
        }
    }

    private void between() {
        if (betweenReads != null) {
            betweenReads.run();
        }
    }

    /**
     * Adds fast successes to the bucket of {@code second}, a second the window has already reached, unless it has
     * left the window meanwhile (then they have expired, as they would have in it).
     *
     * @param second a second at most the latest
     * @param successes how many
     * @return whether they were added; {@code false} also when the window is {@link #closed()}
     */
    boolean addSuccesses(long second, long successes) {
        if (!startWrite()) {
            return false;
        }
        try {
            return addSuccessesOpen(second, successes);
        } finally {
            endWrite();
        }
    }

    private boolean addSuccessesOpen(long second, long successes) {
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

    /** @return the window's length in seconds */
    int size() {
        return size;
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
                rollsStarted.incrementAndGet();
                for (long e = Math.max(latest + 1, second - size + 1); e <= second; e++) {
                    expire((int) (e % size), e);
                }
                rollsFinished.incrementAndGet();
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

package dev.resilience.circuitbreaker.internal;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The last N outcomes, allocation-free and without locks, but not lock-free: a writer waits for the writer N
 * sequences before it, which uses the same slot, to finish (see "Why the wait").
 *
 * <p><b>Aggregate.</b> The window counts four disjoint categories (fast success, slow success, fast failure,
 * slow failure, see {@link Outcome}), each a 16-bit field of ONE {@link AtomicLong}. A single read is therefore a
 * consistent snapshot, and derived counts (failed = fast + slow failures, slow = slow successes + slow failures,
 * buffered = all four) satisfy {@code 0 <= slowFailed <= failed <= buffered <= N} in every snapshot. 16 bits bound
 * N to 65535.
 *
 * <p><b>Ring.</b> Slot {@code i} of an {@link AtomicLongArray} holds the latest outcome written there, tagged with
 * its sequence number: {@code (seq << 2) | category}, or {@code -1} when never written. A call takes
 * {@code seq = counter.getAndIncrement()} and slot {@code seq % N}.
 *
 * <p><b>Why the wait.</b> With many threads on a small window, the writer of sequence {@code s} and the writer of
 * {@code s + N} (same slot) may run at the same time. If {@code s + N} evicted before {@code s} had added, a field
 * could go negative (or over N) for a moment and a reader would see nonsense. So the writer of {@code s >= N}
 * waits (spins with {@link Thread#onSpinWait()}, then yields, then parks for a microsecond at a time) until the slot shows sequence {@code s - N}: the
 * previous writer of that slot has finished. It then does ONE {@code getAndAdd} of the packed delta
 * (+ its category, - the evicted category; none at all when the two are equal) and publishes {@code (s, category)} into the slot. All updates of one
 * slot are thereby ordered; at every instant each slot contributes exactly one outcome (or none, before its first
 * write) to the aggregate, so every field stays within [0, N] and the packed arithmetic never borrows across
 * fields. With N = 1 and many threads this degrades into a queue, which is still correct. Between taking a
 * sequence and publishing, the code cannot throw, so no waiter can wait for a writer that gave up.
 *
 * <p><b>Batches.</b> {@link #recordSuccesses} takes up to N sequences at once, waits for each of its slots in turn,
 * makes one add for all of them and then publishes its slots: the aggregate switches all of its slots in one step.
 *
 * <p><b>Closing</b> (for a change of configuration, {@link #close()}): one {@code getAndAdd} sets a high bit in the
 * sequence. A writer whose sequence carries it writes nothing and gets {@link #CLOSED} (its caller then records into
 * the window that replaces this one); every writer before it holds a smaller sequence, and {@link #close()} waits for
 * their slots, as a writer waits for the slot it evicts, before it reads the outcomes out in order.
 */
final class CountWindow {

    private static final int SPINS_BEFORE_YIELD = 64;
    private static final int YIELDS_BEFORE_PARK = 64;

    /**
     * Longs between hot values, so that each sits on a cache line of its own (64 bytes): the sequence is written
     * by every call and would otherwise keep invalidating the aggregate, and neighbouring slots are written by
     * different threads at the same moment.
     */
    private static final int PAD = 8;
    private static final int SEQUENCE = PAD;
    private static final int AGGREGATE = 2 * PAD;
    /** Slots get a cache line each while that costs at most 256 KiB; larger windows pack them densely. */
    private static final int MAX_PADDED_SLOTS = 4096;

    /** What a writer gets from a closed window: never a valid aggregate (its four fields would exceed any size). */
    static final long CLOSED = -1L;
    /** Set in the sequence by {@link #close()}; far above any count of calls. */
    private static final long CLOSED_BIT = 1L << 62;

    private final int size;
    private final int stride;
    /** The sequence at {@link #SEQUENCE} and the packed aggregate at {@link #AGGREGATE}, a cache line apart. */
    private final AtomicLongArray counters = new AtomicLongArray(3 * PAD);
    private final AtomicLongArray slots;

    CountWindow(int size) {
        if (size < 1 || size > 65_535) {
            throw new IllegalArgumentException("window size must be between 1 and 65535, but was " + size);
        }
        this.size = size;
        this.stride = size <= MAX_PADDED_SLOTS ? PAD : 1;
        this.slots = new AtomicLongArray(size * stride);
        for (int i = 0; i < size; i++) {
            slots.set(i * stride, -1L);
        }
    }

    /**
     * A window holding {@code outcomes}, oldest first; only its last {@code size} if there are more.
     *
     * @param size the window's size
     * @param outcomes {@link Outcome} categories, oldest first
     */
    CountWindow(int size, int[] outcomes) {
        this(size);
        int from = Math.max(0, outcomes.length - size);
        long aggregate = 0L;
        long seq = 0L;
        for (int i = from; i < outcomes.length; i++, seq++) {
            slots.set(slotIndex(seq), (seq << 2) | outcomes[i]);
            aggregate += 1L << (outcomes[i] << 4);
        }
        counters.set(AGGREGATE, aggregate);
        counters.set(SEQUENCE, seq); // a volatile write: whoever reads the window after it sees the slots
    }

    /**
     * Stops the window: later writers get {@link #CLOSED}. Waits for the writers already under way to finish.
     *
     * @return the outcomes the window holds, oldest first
     */
    int[] close() {
        long end = counters.getAndAdd(SEQUENCE, CLOSED_BIT);
        if ((end & CLOSED_BIT) != 0) {
            throw new IllegalStateException("window closed twice");
        }
        long first = Math.max(0L, end - size);
        int[] outcomes = new int[(int) (end - first)];
        for (long seq = first; seq < end; seq++) {
            int index = slotIndex(seq);
            long slot;
            int spins = 0;
            while ((slot = slots.get(index)) >> 2 != seq) {
                spins = backOff(spins); // its writer took the sequence and is about to publish
            }
            outcomes[(int) (seq - first)] = (int) slot & 3;
        }
        return outcomes;
    }

    /**
     * @param category one of the {@link Outcome} categories
     * @return the packed aggregate right after this outcome was added (a consistent snapshot), or {@link #CLOSED}
     *     (nothing recorded)
     */
    long record(int category) {
        long seq = counters.getAndIncrement(SEQUENCE);
        if ((seq & CLOSED_BIT) != 0) {
            return CLOSED;
        }
        int index = slotIndex(seq);
        long delta = (1L << (category << 4)) - awaitEvicted(seq, index);
        // In a steady state the evicted outcome usually equals the new one: nothing changes, so skip the
        // read-modify-write (the common success path then costs one contended atomic instead of two).
        long after = delta == 0 ? counters.get(AGGREGATE) : counters.addAndGet(AGGREGATE, delta);
        // Release ordering suffices: the waiter reads the slot with acquire semantics and then needs our add.
        slots.setRelease(index, (seq << 2) | category);
        return after;
    }

    /**
     * Records {@code n} fast successes as one step: one sequence update and at most one aggregate update for all of
     * them, instead of one each. The writers awaited (of sequences {@code n} or fewer slots back) all hold smaller
     * sequences than this batch, so no two writers ever wait for each other.
     *
     * @param n how many, from 1 to the window's size
     * @param minimum the minimum number of calls of the window's breaker
     * @return the packed aggregate as it would have been right after the first of these successes that brings the
     *     window to {@code minimum} outcomes (where, among the points at or over the minimum, the failure and slow-call
     *     rates are highest: each later success can only lower them), or right after the last one if none does;
     *     {@link #CLOSED} if the window is closed (nothing recorded)
     */
    long recordSuccesses(int n, int minimum) {
        if (n < 1 || n > size) {
            throw new IllegalArgumentException("between 1 and " + size + " successes at once, but was " + n);
        }
        long first = counters.getAndAdd(SEQUENCE, n);
        if ((first & CLOSED_BIT) != 0) {
            return CLOSED;
        }
        long delta = n; // n fast successes: field 0
        for (long seq = first; seq < first + n; seq++) {
            delta -= awaitEvicted(seq, slotIndex(seq));
        }
        long after = delta == 0 ? counters.get(AGGREGATE) : counters.addAndGet(AGGREGATE, delta);
        long point = after - delta;
        boolean reached = false;
        for (long seq = first; seq < first + n; seq++) {
            int index = slotIndex(seq);
            if (!reached) {
                // The slot still holds the outcome this success evicts: nobody writes it before we publish.
                point += 1 - evictedField(seq, slots.get(index));
                reached = buffered(point) >= minimum;
            }
            slots.setRelease(index, (seq << 2) | Outcome.SUCCESS);
        }
        return reached ? point : after;
    }

    private int slotIndex(long seq) {
        return (int) (seq % size) * stride;
    }

    /**
     * Waits until the slot of {@code seq} shows the outcome that {@code seq} evicts (written {@code size} sequences
     * earlier).
     *
     * @return that outcome's unit in the packed aggregate, or 0 while the ring has not come round yet
     */
    private long awaitEvicted(long seq, int index) {
        if (seq < size) {
            return 0L;
        }
        long previous = seq - size;
        long slot;
        int spins = 0;
        while ((slot = slots.get(index)) >> 2 != previous) {
            spins = backOff(spins);
        }
        return evictedField(seq, slot);
    }

    private long evictedField(long seq, long slot) {
        return seq < size ? 0L : 1L << (((int) slot & 3) << 4);
    }

    /**
     * Waits a little: spins first, then yields, then (when the awaited writer has apparently been descheduled on an
     * overloaded machine) parks for a microsecond at a time so that it gets the CPU back. This is a back-off, not a
     * time measurement, so it does not go through the policy's clock.
     */
    static int backOff(int spins) {
        if (spins < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else if (spins < SPINS_BEFORE_YIELD + YIELDS_BEFORE_PARK) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(1_000L);
        }
        return spins + 1;
    }

    /** @return the packed aggregate */
    long snapshot() {
        return counters.get(AGGREGATE);
    }

    int size() {
        return size;
    }

    /** The field of the first category ({@link Outcome#SUCCESS}) in a packed aggregate. */
    static final long FIELD_MASK = 0xFFFFL;

    /** @return the count of one category in a packed aggregate */
    static int count(long aggregate, int category) {
        return (int) (aggregate >>> (category << 4)) & 0xFFFF;
    }

    static int buffered(long a) {
        return count(a, 0) + count(a, 1) + count(a, 2) + count(a, 3);
    }

    static int failed(long a) {
        return count(a, Outcome.FAILURE) + count(a, Outcome.SLOW_FAILURE);
    }

    static int slow(long a) {
        return count(a, Outcome.SLOW_SUCCESS) + count(a, Outcome.SLOW_FAILURE);
    }
}

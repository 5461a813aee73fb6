package dev.resilience.ratelimiter.internal;

import java.util.Arrays;

/**
 * The limit each coming period opens with: segments of generations, each with its limit. Usually one segment (the
 * configured limit). A change of the limit while callers hold reservations of later periods leaves the reserved
 * periods as they were planned and applies the new limit after them (see {@link #changedTo}): a waiter's period was
 * computed from the limits of the periods before it, and must still be the period its permit falls in.
 *
 * <p>Generations are compared by their 32-bit difference, like everywhere in the limiter. Immutable.
 *
 * @param from the first generation of each segment, ascending; the first segment also covers everything before
 * @param limits the limit of each segment
 */
record Limits(int[] from, int[] limits) {

    /** @return one segment: every period opens with {@code limit} */
    static Limits of(int limit) {
        return new Limits(new int[] {0}, new int[] {limit});
    }

    /** @return the limit period {@code generation} opens with */
    int at(int generation) {
        for (int i = from.length - 1; i > 0; i--) {
            if (generation - from[i] >= 0) {
                return limits[i];
            }
        }
        return limits[0];
    }

    /** @return the limit of the last segment: that of every period after those already planned */
    int latest() {
        return limits[limits.length - 1];
    }

    /**
     * @param generation the current period
     * @param position a permit beyond the current period's, counted from 1 (the first permit of the next period)
     * @return how many periods after {@code generation} that permit falls in (at least 1)
     */
    long periodsAhead(int generation, long position) {
        return locate(generation, position)[0];
    }

    /**
     * @return the place of permit {@code position} (see {@link #periodsAhead}): {periods ahead, its number within
     *     that period counted from 1}
     */
    long[] locate(int generation, long position) {
        long ahead = 0;
        long left = position;
        int next = generation + 1;
        int i = segmentOf(next);
        while (true) {
            int limit = limits[i];
            long periods = i + 1 == from.length ? Long.MAX_VALUE : Math.max(1, from[i + 1] - next);
            if (i + 1 == from.length || left <= periods * limit) {
                long within = (left + limit - 1) / limit;
                return new long[] {ahead + within, left - (within - 1) * limit};
            }
            left -= periods * limit;
            ahead += periods;
            next = from[i + 1];
            i++;
        }
    }

    private int segmentOf(int generation) {
        for (int i = from.length - 1; i > 0; i--) {
            if (generation - from[i] >= 0) {
                return i;
            }
        }
        return 0;
    }

    /**
     * The limits after a change to {@code limit} made in period {@code generation}, whose permits up to
     * {@code lastReserved} (a generation at or after {@code generation}) are planned: periods before
     * {@code lastReserved} keep their limits (they are full of reservations), {@code lastReserved} itself opens with
     * the larger of its reservations and the new limit, and every later period with the new limit.
     *
     * @param reservedInLast permits already reserved in period {@code lastReserved} (0 if it is the current period)
     */
    Limits changedTo(int limit, int generation, int lastReserved, long reservedInLast) {
        int[] newFrom = new int[from.length + 2];
        int[] newLimits = new int[from.length + 2];
        int n = 0;
        int start = generation + 1;
        if (lastReserved - start > 0) {
            // the full periods keep what they were planned with
            for (int i = segmentOf(start); i < from.length && from[i] - lastReserved < 0; i++) {
                newFrom[n] = i == segmentOf(start) ? start : from[i];
                newLimits[n] = limits[i];
                n++;
            }
        }
        if (lastReserved - generation > 0) {
            int last = (int) Math.max(reservedInLast, limit);
            if (n == 0 || newLimits[n - 1] != last) {
                newFrom[n] = lastReserved;
                newLimits[n] = last;
                n++;
            }
            if (newLimits[n - 1] != limit) {
                newFrom[n] = lastReserved + 1;
                newLimits[n] = limit;
                n++;
            }
        } else {
            newFrom[n] = start;
            newLimits[n] = limit;
            n++;
        }
        return new Limits(Arrays.copyOf(newFrom, n), Arrays.copyOf(newLimits, n));
    }

    @Override
    public String toString() {
        return "Limits" + Arrays.toString(from) + Arrays.toString(limits);
    }
}

package dev.resilience.retry.internal;

import dev.resilience.core.Clock;
import dev.resilience.retry.RetryBudget;
import dev.resilience.retry.RetryBudgetConfig;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The {@link RetryBudget} implementation: two rings of one-second buckets (first attempts, retries), each bucket
 * one long holding the low 32 bits of its second's number (the tag) and a 32-bit count. A bucket whose tag is
 * not the current second's is stale and is reset by the first writer of the new second, so no timer and no lock
 * are needed, and idle budgets cost nothing.
 *
 * <p>A retry is granted in three steps: read {@link #grants}, check the window and count the retry in its bucket,
 * then move {@link #grants} on by compare-and-set. A thread whose compare-and-set fails takes its count back and
 * starts over, so every check sees every retry granted before it, also one counted in another second's bucket (a
 * thread that read the clock just before a new second began and was held up would otherwise not see the retries
 * of the new second, nor they its own, and both would be granted).
 */
public final class BucketedRetryBudget implements RetryBudget {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long COUNT_MASK = 0xFFFF_FFFFL;

    private final RetryBudgetConfig config;
    private final Clock clock;
    private final int buckets;
    private final double ratio;
    private final double floor;
    private final AtomicLongArray firstAttempts;
    private final AtomicLongArray retries;
    /** How many retries were granted: the version every grant is checked against. */
    private final AtomicLong grants = new AtomicLong();

    /**
     * @param config settings
     * @param clock time source
     */
    public BucketedRetryBudget(RetryBudgetConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.buckets = config.windowSeconds();
        this.ratio = config.ratio();
        this.floor = config.minRetriesPerSecond() * buckets;
        this.firstAttempts = new AtomicLongArray(buckets);
        this.retries = new AtomicLongArray(buckets);
    }

    @Override
    public RetryBudgetConfig config() {
        return config;
    }

    @Override
    public void recordFirstAttempt() {
        long second = currentSecond();
        add(firstAttempts, index(second), (int) second);
    }

    @Override
    public boolean tryAcquireRetry() {
        while (true) {
            long version = grants.get();
            long second = currentSecond(); // read after the version: a grant it missed fails the CAS below
            if (sum(retries, second) >= allowed(second)) {
                return false;
            }
            int index = index(second);
            int tag = (int) second;
            add(retries, index, tag);
            if (grants.compareAndSet(version, version + 1)) {
                return true;
            }
            takeBack(index, tag); // another grant came first: check again against it
        }
    }

    private static void add(AtomicLongArray ring, int index, int tag) {
        while (true) {
            long bucket = ring.get(index);
            if (ring.compareAndSet(index, bucket, tag(bucket) == tag ? increment(bucket) : pack(tag, 1))) {
                return;
            }
        }
    }

    private void takeBack(int index, int tag) {
        while (true) {
            long bucket = retries.get(index);
            if (tag(bucket) != tag || count(bucket) == 0) {
                return; // the bucket moved on to a later second, which dropped the count anyway
            }
            if (retries.compareAndSet(index, bucket, bucket - 1)) {
                return;
            }
        }
    }

    @Override
    public long remaining() {
        long second = currentSecond();
        return Math.max(0, allowed(second) - sum(retries, second));
    }

    @Override
    public void reset() {
        // An empty bucket is one of no second in the window (or of the current second, with nothing counted yet).
        for (int i = 0; i < buckets; i++) {
            firstAttempts.set(i, 0);
            retries.set(i, 0);
        }
    }

    private long allowed(long second) {
        return (long) Math.floor(ratio * sum(firstAttempts, second) + floor);
    }

    private long currentSecond() {
        return Math.floorDiv(clock.nanoTime(), NANOS_PER_SECOND);
    }

    private int index(long second) {
        return (int) Math.floorMod(second, (long) buckets);
    }

    private long sum(AtomicLongArray ring, long second) {
        long total = 0;
        for (int i = 0; i < buckets; i++) {
            total += countIfInWindow(ring.get(i), second);
        }
        return total;
    }

    private long countIfInWindow(long bucket, long second) {
        int age = (int) second - tag(bucket);
        return age >= 0 && age < buckets ? count(bucket) : 0;
    }

    private static long pack(int tag, long count) {
        return ((long) tag << 32) | count;
    }

    private static int tag(long bucket) {
        return (int) (bucket >>> 32);
    }

    private static long count(long bucket) {
        return bucket & COUNT_MASK;
    }

    private static long increment(long bucket) {
        // Saturates rather than spilling into the tag: four billion attempts in one second is not a real load.
        return count(bucket) == COUNT_MASK ? bucket : bucket + 1;
    }

    @Override
    public String toString() {
        return "RetryBudget[" + config + ", remaining=" + remaining() + "]";
    }
}

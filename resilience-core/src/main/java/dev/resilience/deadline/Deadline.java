package dev.resilience.deadline;

import dev.resilience.core.Clock;
import dev.resilience.core.ThrowingSupplier;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The moment by which the work running on this thread must be done, as an absolute monotonic time of a
 * {@link Clock}. Like Go's {@code context.Context} deadline or a gRPC deadline, it flows into nested calls:
 *
 * <ul>
 *   <li>The outermost {@code Timeout} of a call sets the deadline for the call; a nested {@code Timeout} waits
 *       at most {@code min(its own timeout, remaining())}.</li>
 *   <li>A {@code Retry} runs each attempt with the earlier of the deadline and its own {@code maxDuration} (from the
 *       call's start) as the current deadline, and starts no further attempt, and sleeps no backoff, past it: it ends
 *       the call with its last failure instead.</li>
 *   <li>Wherever a policy continues a call on another thread (a thread-pool bulkhead task, a bulkhead waiter granted
 *       a permit, a rate-limited call started by the timer, an asynchronous retry attempt, a timed-out call's
 *       completion), the caller's deadline is captured and restored there; the starter sends it to other services in an HTTP header and
 *       turns an incoming header into the request's deadline.</li>
 * </ul>
 *
 * <pre>{@code
 * Order order = Deadline.runWithin(Duration.ofSeconds(2), () -> service.placeOrder(cart));
 * // inside, anywhere on this thread:
 * Deadline.current().ifPresent(d -> log.debug("{} ms left", d.remaining().toMillis()));
 * }</pre>
 *
 * <p>A nested scope never extends the deadline it runs in: {@link #runWithin} takes the earlier of the two.
 * The thread's deadline is restored when a scope ends, normally or by an exception. Reading the deadline of a
 * thread that has none is one {@link ThreadLocal} read and allocates nothing ({@link #currentOrNull()}).
 *
 * <p>Instances are immutable and thread-safe; the current deadline is per thread.
 */
public final class Deadline {

    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

    private final long deadlineNanos;
    private final Clock clock;

    private Deadline(long deadlineNanos, Clock clock) {
        this.deadlineNanos = deadlineNanos;
        this.clock = clock;
    }

    /**
     * @param timeout how long from now; zero or negative gives a deadline that has already expired
     * @param clock the time source the deadline is measured on
     * @return a deadline {@code timeout} after the clock's current monotonic time (saturating: a huge timeout
     *     gives a deadline about 73 years away, never an overflow)
     */
    public static Deadline after(Duration timeout, Clock clock) {
        Objects.requireNonNull(timeout, "timeout");
        return afterNanos(saturatedNanos(timeout), clock);
    }

    /**
     * @param timeoutNanos how long from now, in nanoseconds
     * @param clock the time source the deadline is measured on
     * @return a deadline {@code timeoutNanos} after the clock's current monotonic time
     */
    public static Deadline afterNanos(long timeoutNanos, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        long now = clock.nanoTime();
        long bounded = Math.max(Long.MIN_VALUE / 4, Math.min(timeoutNanos, Long.MAX_VALUE / 4));
        return new Deadline(now + bounded, clock);
    }

    /**
     * @return the current thread's deadline, or empty when it has none (the empty case allocates nothing)
     */
    public static Optional<Deadline> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /**
     * Same as {@link #current()} without the {@link Optional}: for policies on the call path.
     *
     * @return the current thread's deadline, or {@code null}
     */
    public static Deadline currentOrNull() {
        return CURRENT.get();
    }

    /**
     * Makes {@code deadline} the current thread's deadline and returns the one it replaces, which the caller
     * must put back in a {@code finally} block. For integrations that move work between threads (executors,
     * servlet filters); application code uses {@link #runWithin} instead.
     *
     * <pre>{@code
     * Deadline previous = Deadline.replace(captured);
     * try { task.run(); } finally { Deadline.replace(previous); }
     * }</pre>
     *
     * @param deadline the new deadline, or {@code null} for none
     * @return the previous deadline, or {@code null} if there was none
     */
    public static Deadline replace(Deadline deadline) {
        Deadline previous = CURRENT.get();
        if (deadline == null) {
            if (previous != null) {
                CURRENT.remove();
            }
        } else if (deadline != previous) {
            CURRENT.set(deadline);
        }
        return previous;
    }

    /**
     * Runs work with a deadline {@code timeout} from now on the system clock, or the current deadline if that
     * is earlier, and restores the thread's previous deadline afterwards (also when the work throws).
     *
     * @param timeout how long the work may take
     * @param work the work
     * @param <T> result type
     * @param <X> what the work may throw
     * @return the work's result
     * @throws X what the work throws, unchanged
     */
    public static <T, X extends Throwable> T runWithin(Duration timeout, ThrowingSupplier<T, X> work) throws X {
        return runWithin(timeout, Clock.system(), work);
    }

    /**
     * Same as {@link #runWithin(Duration, ThrowingSupplier)} on the given clock.
     *
     * @param timeout how long the work may take
     * @param clock the time source
     * @param work the work
     * @param <T> result type
     * @param <X> what the work may throw
     * @return the work's result
     * @throws X what the work throws, unchanged
     */
    public static <T, X extends Throwable> T runWithin(Duration timeout, Clock clock, ThrowingSupplier<T, X> work) throws X {
        Objects.requireNonNull(work, "work");
        Deadline mine = after(timeout, clock);
        Deadline outer = CURRENT.get();
        return runWith(outer != null && outer.isBefore(mine) ? outer : mine, work);
    }

    /**
     * Runs work with exactly this deadline (earlier or later than the current one), restoring the thread's
     * previous deadline afterwards (also when the work throws). Used, for example, to install a deadline that
     * came from another service.
     *
     * @param work the work
     * @param <T> result type
     * @param <X> what the work may throw
     * @return the work's result
     * @throws X what the work throws, unchanged
     */
    public <T, X extends Throwable> T run(ThrowingSupplier<T, X> work) throws X {
        return runWith(this, work);
    }

    private static <T, X extends Throwable> T runWith(Deadline deadline, ThrowingSupplier<T, X> work) throws X {
        Deadline previous = replace(deadline);
        try {
            return work.get();
        } finally {
            replace(previous);
        }
    }

    /** @return the time left, zero or negative once expired (negative: how long ago it expired) */
    public Duration remaining() {
        return Duration.ofNanos(remainingNanos());
    }

    /** @return the time left in nanoseconds, zero or negative once expired */
    public long remainingNanos() {
        return deadlineNanos - clock.nanoTime();
    }

    /** @return whether the deadline has passed (no time remains) */
    public boolean isExpired() {
        return remainingNanos() <= 0;
    }

    /** @return the absolute deadline on {@link #clock()}'s monotonic time */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** @return the clock the deadline is measured on */
    public Clock clock() {
        return clock;
    }

    /**
     * @param other another deadline
     * @return whether this one comes strictly earlier (compared by the time each has left, so that deadlines on
     *     different clocks compare sensibly)
     */
    public boolean isBefore(Deadline other) {
        if (other.clock == clock) {
            return deadlineNanos - other.deadlineNanos < 0;
        }
        return remainingNanos() < other.remainingNanos();
    }

    @Override
    public String toString() {
        return "Deadline[remaining=" + remaining() + "]";
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE / 4 : Long.MAX_VALUE / 4;
        }
    }
}

package dev.resilience.ratelimiter.internal;

import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Clock;
import dev.resilience.core.internal.Durations;
import dev.resilience.core.EventPublisher;
import dev.resilience.core.Events;
import dev.resilience.core.Invoker;
import dev.resilience.core.internal.PolicySupport;
import dev.resilience.core.Scheduled;
import dev.resilience.core.internal.Throwables;
import dev.resilience.core.internal.Validate;
import dev.resilience.core.internal.CallerContext;
import dev.resilience.core.internal.ContinuationThreads;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.RateLimiterEvent;
import dev.resilience.ratelimiter.RateLimiterMetrics;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.spi.ContextCarrier;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;

/**
 * The {@link RateLimiter} implementation.
 *
 * <p><b>Why periods are opened rather than computed.</b> A fixed grid of periods ({@code floor((now - start) /
 * period)}) needs a clock read on every call, and on some machines that read costs more than everything else a
 * permitted call does. Here a period instead <em>begins when it is opened</em>, and the call that finds a free
 * permit in the current period reads no clock: one {@code state.get()}, a {@code permits > 0} test and one
 * compare-and-set.
 *
 * <p><b>State.</b> One {@code long}, updated by compare-and-set: the high 32 bits number the current period (its
 * generation, modulo 2^32), the low 32 bits hold its free permits as a signed int. Permits go negative when
 * callers reserve permits of later periods: with {@code p < 1} free permits in period {@code g}, the next permit
 * taken is valid in period {@code g + ceil((1 - p) / limit)} (with the {@link Limits} planned for the periods
 * between). Each permit is taken by exactly one CAS, so no period admits more than the limit it opened with. {@link Opened} records, for the current generation, when it began: the clock is read
 * <em>after</em> the CAS that made the period current, so a period never ends earlier than one
 * {@code limitRefreshPeriod} after it began.
 *
 * <p><b>Counting.</b> The fast path counts nothing: the free permits it hands out in a period are the drop of the
 * period's free permits ({@code max(0, start) - max(0, now)}), and each opening carries that drop into the next
 * period's {@link Opened} record, so {@link #metrics()} derives the total from the state and one record. Only permits
 * of later periods, taken by callers that waited, are counted as they are used.
 *
 * <p><b>Opening.</b> A period is due once {@code now - start >= limitRefreshPeriod}; a clock going backwards
 * therefore delays it and never creates permits. The next period is opened (one CAS from the due state; exactly one
 * opener wins, the others retry against the new state) by whichever comes first: the period timer, a caller that
 * finds no free permit and reads the clock, or a waiter whose reserved period is due. Opening refreshes permits to
 * {@code min(permits + limit, limit)} with the limit planned for it, so reservations carry over. Whoever opens a period
 * arms the timer for its end; {@link #arm} keeps at most one timer pending per limiter (a newer period's timer
 * cancels the older one, never the reverse). While the period is being opened its start is not yet recorded;
 * readers then take it as just begun (not due), so the window can only make a period end later.
 *
 * <p><b>Idleness.</b> When the timer finds that nothing happened in the period since it opened (the state is exactly
 * what the opener wrote, with no reservation outstanding), it marks the state {@link #IDLE} instead of opening the
 * next period, and does not re-arm: an unused limiter has no pending task and costs no CPU. The mark is a negative
 * permit count, so the next caller fails the fast path's {@code permits > 0} test, reads the clock and opens a fresh
 * period with the full limit (re-arming the timer). No permit of an idle period is handed out without a clock check.
 *
 * <p><b>Late periods.</b> On a busy machine the timer may run late; until it (or a caller who ran out of permits)
 * opens the next period, the remaining permits of the current one are still handed out. That period then simply
 * ended late: it still admitted at most {@code limit}, and since every period lasts at least
 * {@code limitRefreshPeriod}, any interval of that length meets at most two periods, so at most {@code 2 x limit}
 * calls are admitted in it, the bound of any fixed-window limiter.
 *
 * <p><b>Very short periods.</b> Below {@link #MIN_TIMER_PERIOD_NANOS} no timer is used (it would fire nearly
 * continuously); periods then open only on demand, when a caller or waiter finds the current one due. A period's
 * leftover permits may then be handed out long after it was due, without a clock read: by the argument above this
 * stays within the guarantee (that period admits at most {@code limit} calls however long it lasts).
 *
 * <p><b>Waiting.</b> A caller that finds no free permit reserves one (CAS) only when the period of its permit is
 * expected to be due within its timeout (expected = the current period's start + k periods), so timed-out callers
 * consume nothing. The waiter sleeps (synchronous) or schedules itself (asynchronous) until then; on waking it opens
 * due periods itself if nobody else has, and runs only once its period has opened, waiting again while it is not
 * yet due. It never runs in an earlier period than its permit's.
 *
 * <p><b>Changing the limit.</b> A waiter's period was computed from the limits of the periods before it; were a
 * period to open with another limit, permits would move between periods while their waiters still ran in the
 * planned ones (a raised limit let a period admit its new limit plus the waiters planned for it). So a change keeps
 * the periods already full of reservations as planned, gives the last reserved period the larger of its
 * reservations and the new limit, and the new limit to every period after: a raise applies once the reservations
 * made before it have run, a lowering at once to free permits. Changes exclude openings ({@link #planning}), so a
 * period opens with the limit it was planned with; reservations read the limits optimistically and plan again
 * when a change overlapped them.
 *
 * <p>Generations are compared by their 32-bit difference: a caller would have to be stalled across 2^31 openings
 * between reading the state and using it to be misled, and its CAS on the old state still fails unless exactly
 * 2^32 periods opened in between.
 */
public final class RateLimiterImpl extends PolicySupport implements RateLimiter {

    /** Periods shorter than this (1 ms) get no timer; they open on demand only. */
    static final long MIN_TIMER_PERIOD_NANOS = 1_000_000L;

    /** The permits of a period the timer found unused: negative, so the fast path never hands out its permits. */
    private static final int IDLE = Integer.MIN_VALUE;

    /** {@link #reserveSlow}'s answer when the state changed under it: look again. */
    private static final long RETRY = Long.MIN_VALUE;

    private final String name;
    private final Clock clock;
    private final ContextCarrier carrier;
    /** Starts the asynchronous calls that waited for a later period, off the clock's timer thread. */
    private final Executor asyncExecutor;
    private final long periodNanos;
    private final boolean timed;
    private final AtomicLong state;
    private volatile Opened opened;
    private final AtomicReference<Armed> armed = new AtomicReference<>();
    private final EventPublisher<RateLimiterEvent> publisher = new EventPublisher<>();
    /** Permits taken by callers that had to wait for a later period; those of the fast path are derived. */
    private final LongAdder permittedAfterWaiting = new LongAdder();
    /** The largest count of fast-path permits {@link #metrics()} has reported, so that it never goes backwards. */
    private final AtomicLong fastPermittedReported = new AtomicLong();
    private final LongAdder rejected = new LongAdder();
    /**
     * Free permits taken away by {@link #drainPermissions()}: they show as a drop of free permits like those handed
     * out by the fast path, so they are subtracted from it.
     */
    private final AtomicLong drained = new AtomicLong();
    private final AtomicInteger waiting = new AtomicInteger();
    /**
     * Write-locked by a change of the limit (or of the timeout), read-locked by an opening, so that a period opens
     * with the limit its reservations were planned with (see {@link Limits}); openings do not exclude each other.
     * Never taken by the fast path. A reservation reads optimistically and plans again under the read lock only when
     * a change overlapped it.
     */
    private final StampedLock planning = new StampedLock();
    private volatile RateLimiterConfig config;
    /** The limit last set, as reported; periods open with {@link #limits}. */
    private volatile int limit;
    /** The limit each coming period opens with; replaced under {@link #planning}. */
    private volatile Limits limits;
    private volatile long timeoutNanos;

    /**
     * When the current period began. Written once per opening, by the opener, after its CAS.
     *
     * @param generation the period it describes
     * @param startNanos the clock read right after the period became current
     * @param openedState the state the opener wrote, to tell whether anything happened since
     * @param fastPermittedBefore free permits handed out (not reservations) in all earlier periods: a fast call
     *     counts nothing itself; its permit shows as the drop from the period's free permits
     */
    private record Opened(int generation, long startNanos, long openedState, long fastPermittedBefore) {

        /** @return free permits handed out in this period while its state was {@code s}, plus all earlier ones */
        long fastPermittedUpTo(long s) {
            int start = (int) openedState;
            int now = (int) s == IDLE ? start : (int) s;
            return fastPermittedBefore + Math.max(0, start) - Math.max(0, now);
        }
    }

    /**
     * The pending period timer.
     *
     * @param generation the period whose end it watches
     * @param task its handle
     */
    private record Armed(int generation, Scheduled task) {
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock time source; the first period begins now
     */
    public RateLimiterImpl(String name, RateLimiterConfig config, Clock clock) {
        this(name, config, clock, ContextCarrier.none());
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock time source; the first period begins now
     * @param carrier carries a waiting asynchronous caller's context to the thread that starts its call
     */
    public RateLimiterImpl(String name, RateLimiterConfig config, Clock clock, ContextCarrier carrier) {
        this(name, config, clock, ContinuationThreads.INSTANCE, carrier);
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock time source; the first period begins now
     * @param asyncExecutor starts the asynchronous calls that waited for a later period
     * @param carrier carries a waiting asynchronous caller's context to the thread that starts its call
     */
    public RateLimiterImpl(String name, RateLimiterConfig config, Clock clock, Executor asyncExecutor,
                           ContextCarrier carrier) {
        this.asyncExecutor = Objects.requireNonNull(asyncExecutor, "asyncExecutor");
        this.carrier = Objects.requireNonNull(carrier, "carrier");
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.periodNanos = config.limitRefreshPeriod().toNanos();
        this.timed = periodNanos >= MIN_TIMER_PERIOD_NANOS;
        this.limit = config.limitForPeriod();
        this.limits = Limits.of(limit);
        this.timeoutNanos = Durations.saturatedNanos(config.timeoutDuration());
        long initial = pack(0, limit);
        this.state = new AtomicLong(initial);
        this.opened = new Opened(0, clock.nanoTime(), initial, 0L);
        arm(0, periodNanos);
    }

    private static long pack(int generation, int permits) {
        return ((long) generation << 32) | (permits & 0xFFFF_FFFFL);
    }

    private static int generation(long s) {
        return (int) (s >>> 32);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "ratelimiter";
    }

    @Override
    public RateLimiterConfig config() {
        return config;
    }

    @Override
    public Events<RateLimiterEvent> events() {
        return publisher;
    }

    @Override
    public RateLimiterMetrics metrics() {
        int currentLimit = limit;
        long s = state.get();
        Opened o = opened;
        long now = clock.nanoTime();
        int permits = (int) s;
        long available;
        if (permits == IDLE) {
            available = limits.at(generation(s) + 1);
        } else if (o.generation == generation(s) && now - o.startNanos >= periodNanos) {
            available = refilled(s);
        } else {
            available = permits;
        }
        return new RateLimiterMetrics(currentLimit, (int) Math.max(0, available), waiting.get(),
                fastPermitted() + permittedAfterWaiting.sum(), rejected.sum());
    }

    /**
     * Free permits handed out since creation, from the state and the current period's record. Consistent when both
     * describe the same period; while an opener has switched the state but not yet recorded the new period, the
     * last reported count stands in. Never decreases: within a period free permits only drop, and an opening carries
     * the period's count into the next record.
     */
    private long fastPermitted() {
        for (int attempt = 0; attempt < 8; attempt++) {
            long s = state.get();
            Opened o = opened;
            if (o.generation == generation(s)) {
                // Read after the state: a drain counts itself before its CAS, so this never over-counts.
                long count = o.fastPermittedUpTo(s) - drained.get();
                return fastPermittedReported.accumulateAndGet(count, Math::max);
            }
            Thread.onSpinWait();
        }
        return fastPermittedReported.get();
    }

    @Override
    public void changeLimitForPeriod(int limitForPeriod) {
        Validate.atLeast("limitForPeriod", limitForPeriod, 1);
        RateLimiterConfig previous;
        RateLimiterConfig next;
        long stamp = planning.writeLock();
        try {
            previous = config;
            next = previous.toBuilder().limitForPeriod(limitForPeriod).build();
            applyLimit(limitForPeriod);
            config = next;
        } finally {
            planning.unlockWrite(stamp);
        }
        publishChange(previous, next);
    }

    /**
     * One write lock for both settings, so that no reservation is planned with one of them changed and the other
     * not; the period in progress, its permits and the reservations already made are kept, as by
     * {@link #changeLimitForPeriod} and {@link #changeTimeoutDuration}.
     */
    @Override
    public void reconfigure(RateLimiterConfig newConfig) {
        Objects.requireNonNull(newConfig, "config");
        RateLimiterConfig previous;
        long stamp = planning.writeLock();
        try {
            previous = config;
            if (!previous.limitRefreshPeriod().equals(newConfig.limitRefreshPeriod())) {
                throw new IllegalArgumentException("RateLimiter '" + name + "': limitRefreshPeriod cannot change at run"
                        + " time (from " + previous.limitRefreshPeriod() + " to " + newConfig.limitRefreshPeriod()
                        + "); it takes a restart. Nothing was changed");
            }
            if (newConfig.limitForPeriod() != limit) {
                applyLimit(newConfig.limitForPeriod());
            }
            timeoutNanos = Durations.saturatedNanos(newConfig.timeoutDuration());
            config = newConfig;
        } finally {
            planning.unlockWrite(stamp);
        }
        publishChange(previous, newConfig);
    }

    private void publishChange(RateLimiterConfig previous, RateLimiterConfig next) {
        if (publisher.hasListeners()) {
            publisher.publish(new RateLimiterEvent(name, RateLimiterEvent.Type.CONFIG_CHANGED, clock.currentTimeMillis(),
                    Duration.ZERO, null, java.util.Map.of("from", previous.toString(), "to", next.toString())));
        }
    }

    /** Called holding {@link #planning} for writing. */
    private void applyLimit(int limitForPeriod) {
        limit = limitForPeriod;
        // Reservations taken from now on plan again with the new limits; those taken before are in the state
        // read here, and the new limits keep the periods they were planned in. No period opens meanwhile.
        long s = state.get();
        int generation = generation(s);
        int permits = (int) s;
        Limits current = limits;
        if (permits == IDLE || permits >= 0) {
            limits = current.changedTo(limitForPeriod, generation, generation, 0);
        } else {
            long[] last = current.locate(generation, -(long) permits);
            limits = current.changedTo(limitForPeriod, generation, (int) (generation + last[0]), last[1]);
        }
    }

    @Override
    public void changeTimeoutDuration(Duration timeoutDuration) {
        Validate.notNegative("timeoutDuration", timeoutDuration);
        RateLimiterConfig previous;
        RateLimiterConfig next;
        long stamp = planning.writeLock();
        try {
            previous = config;
            next = previous.toBuilder().timeoutDuration(timeoutDuration).build();
            timeoutNanos = Durations.saturatedNanos(timeoutDuration);
            config = next;
        } finally {
            planning.unlockWrite(stamp);
        }
        publishChange(previous, next);
    }

    @Override
    public void drainPermissions() {
        while (true) {
            long s = state.get();
            int permits = (int) s;
            if (permits == IDLE) {
                if (open(s, true)) {
                    return;
                }
                continue;
            }
            if (permits <= 0) {
                return; // nothing free; reservations of later periods (negative permits) stand
            }
            // Counted first, taken back if the CAS fails: metrics() may under-count for a moment (it never goes
            // backwards), but never counts the drained permits as calls.
            drained.addAndGet(permits);
            if (state.compareAndSet(s, pack(generation(s), 0))) {
                return;
            }
            drained.addAndGet(-permits);
        }
    }

    /**
     * Takes a free permit of the current period, or reserves one of a later period that is expected to open within
     * {@code timeout}.
     *
     * @param timeout the longest acceptable wait, in nanoseconds
     * @return {@code 0}: a permit of the current period is taken; {@code > 0}: a permit of the period whose generation
     *     is {@code (int) (result - 1)} is reserved (see {@link #untilOpen}); {@code < 0}: refused, nothing consumed,
     *     and {@code -1 - result} is the time until the next period is due, in nanoseconds
     */
    long reserve(long timeout) {
        while (true) {
            long s = state.get();
            if ((int) s > 0) {
                // A free permit: no clock read. The generation in s makes the CAS fail if a new period opened.
                if (state.compareAndSet(s, s - 1)) {
                    return 0;
                }
            } else {
                long result = reserveSlow(s, timeout);
                if (result != RETRY) {
                    return result;
                }
            }
        }
    }

    /** No free permit in state {@code s}: open the next period if it is due, else reserve or refuse. */
    private long reserveSlow(long s, long timeout) {
        int permits = (int) s;
        int generation = generation(s);
        long now = clock.nanoTime();
        Opened o = opened;
        boolean startKnown = o.generation == generation;
        if (permits == IDLE || (startKnown && now - o.startNanos >= periodNanos)) {
            open(s);
            return RETRY; // whether this caller or another opened it, look at the new period
        }
        long elapsed = startKnown ? Math.max(0, now - o.startNanos) : 0; // start not recorded yet: it just began
        long taken = (long) permits - 1;
        // Decided without the lock first, so that refusals (which consume nothing) never wait for it.
        long periodsAhead = limits.periodsAhead(generation, -taken);
        if (taken <= IDLE || nanosUntilPeriod(periodsAhead, elapsed) > timeout) {
            return -1 - nanosUntilPeriod(1, elapsed);
        }
        long optimistic = planning.tryOptimisticRead(); // 0 while a change is under way
        periodsAhead = limits.periodsAhead(generation, -taken);
        if (!state.compareAndSet(s, pack(generation, (int) taken))) {
            return RETRY;
        }
        if (optimistic != 0 && planning.validate(optimistic)) {
            return 1 + ((generation + periodsAhead) & 0xFFFF_FFFFL); // no change began before the permit was taken
        }
        // A change of the limit overlapped: this permit's period is where the limits in force once it is done put it
        // (they keep every permit taken before the change where it was planned).
        long stamp = planning.readLock();
        try {
            periodsAhead = limits.periodsAhead(generation, -taken);
        } finally {
            planning.unlockRead(stamp);
        }
        if (nanosUntilPeriod(periodsAhead, elapsed) > timeout) {
            return -1 - nanosUntilPeriod(1, elapsed); // the permit is spent unused: its period admits one fewer
        }
        return 1 + ((generation + periodsAhead) & 0xFFFF_FFFFL);
    }

    /** @return the permits of the period after state {@code s}, opened with the limit planned for it */
    private int refilled(long s) {
        int permits = (int) s;
        int next = limits.at(generation(s) + 1);
        return permits == IDLE ? next : (int) Math.min((long) permits + next, next);
    }

    /**
     * Makes the period after state {@code s} current, if {@code s} is still the state, then records its start and
     * arms the timer for its end. Holds {@link #planning}, so that the period opens with the limit its reservations
     * were planned with.
     *
     * @return whether this call opened it
     */
    private boolean open(long s) {
        return open(s, false);
    }

    /** {@link #open(long)}, with no free permit in the new period if {@code empty} (a drained idle limiter). */
    private boolean open(long s, boolean empty) {
        if (state.get() != s) {
            return false; // opened (or taken from) already
        }
        int generation = generation(s) + 1;
        long stamp = planning.readLock(); // waits only for a change of the limit under way
        try {
            long next = pack(generation, empty ? 0 : refilled(s));
            if (!state.compareAndSet(s, next)) {
                return false;
            }
            Opened previous = opened; // the record of generation(s): nobody opens a period before its start is recorded
            opened = new Opened(generation, clock.nanoTime(), next, previous.fastPermittedUpTo(s));
        } finally {
            planning.unlockRead(stamp);
        }
        arm(generation, periodNanos);
        return true;
    }

    /** Schedules the timer for period {@code generation}, replacing (cancelling) an older pending one. */
    private void arm(int generation, long delayNanos) {
        if (!timed) {
            return;
        }
        Scheduled task = clock.schedule(() -> onTimer(generation), delayNanos);
        Armed mine = new Armed(generation, task);
        while (true) {
            Armed current = armed.get();
            if (current != null && current.generation - generation > 0) {
                task.cancel(); // a later period is already armed (this opener was slow to get here)
                return;
            }
            if (armed.compareAndSet(current, mine)) {
                if (current != null && current.task != task) {
                    current.task.cancel();
                }
                return;
            }
        }
    }

    /** The end of period {@code generation}: open the next one, or mark the limiter idle if it went unused. */
    private void onTimer(int generation) {
        while (true) {
            long s = state.get();
            Opened o = opened;
            if (generation(s) != generation || (int) s == IDLE || o.generation != generation) {
                return; // someone else opened a later period and armed its timer, or it is idle already
            }
            long elapsed = clock.nanoTime() - o.startNanos;
            if (elapsed < periodNanos) {
                arm(generation, periodNanos - elapsed); // fired early by the clock's reading: not due yet
                return;
            }
            if (s == o.openedState && (int) s >= 0) {
                if (state.compareAndSet(s, pack(generation, IDLE))) {
                    return;
                }
            } else if (open(s)) {
                return;
            }
        }
    }

    /**
     * For a caller holding a permit of period {@code period}: opens due periods if nobody else has.
     *
     * @return 0 once that period has opened, else how long until it is expected to be due, in nanoseconds
     */
    private long untilOpen(int period) {
        while (true) {
            long s = state.get();
            int generation = generation(s);
            if (generation - period >= 0) {
                return 0;
            }
            long now = clock.nanoTime();
            Opened o = opened;
            if ((int) s == IDLE || (o.generation == generation && now - o.startNanos >= periodNanos)) {
                open(s);
                continue;
            }
            long elapsed = o.generation == generation ? Math.max(0, now - o.startNanos) : 0;
            return Math.max(1, nanosUntilPeriod(period - generation, elapsed));
        }
    }

    private long nanosUntilPeriod(long periodsAhead, long elapsedInPeriod) {
        if (periodsAhead > (Long.MAX_VALUE - 1) / periodNanos) {
            return Long.MAX_VALUE - 1;
        }
        return Math.max(0, periodsAhead * periodNanos - elapsedInPeriod);
    }

    @Override
    public void refill() {
        while (true) {
            long s = state.get();
            int permits = (int) s;
            if (permits == IDLE) {
                return; // the next call opens a full period, from its own time
            }
            // Each opening passes one period: reservations of far periods (permits well below zero) take several. Done
            // once this call opened a full period, whatever calls take from it afterwards.
            boolean full = refilled(s) >= limits.at(generation(s) + 1);
            if (open(s) && full) {
                return;
            }
        }
    }

    @Override
    public boolean acquirePermission() {
        long r = reserve(timeoutNanos);
        if (r < 0) {
            onRejected(-1 - r, "timeout");
            return false;
        }
        long waited = r == 0 ? 0 : awaitPeriod((int) (r - 1));
        if (waited < 0) {
            onRejected(0, "interrupted");
            return false;
        }
        onPermitted(r != 0, waited);
        return true;
    }

    /** @return the time slept until period {@code period} opened, or -1 if interrupted (flag restored) */
    private long awaitPeriod(int period) {
        waiting.incrementAndGet();
        try {
            long waited = 0;
            for (long wait = untilOpen(period); wait > 0; wait = untilOpen(period)) {
                clock.sleep(wait);
                waited += wait;
            }
            return waited;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            waiting.decrementAndGet();
        }
    }

    @Override
    public Invoker decorate(Invoker next) {
        Objects.requireNonNull(next, "next");
        return (call, runner) -> {
            long r = reserve(timeoutNanos);
            if (r < 0) {
                throw onRejected(-1 - r, "timeout");
            }
            long waited = r == 0 ? 0 : awaitPeriod((int) (r - 1));
            if (waited < 0) {
                throw onRejected(0, "interrupted");
            }
            onPermitted(r != 0, waited);
            return next.invoke(call, runner);
        };
    }

    @Override
    public AsyncInvoker decorateAsync(AsyncInvoker next) {
        Objects.requireNonNull(next, "next");
        return call -> {
            long r = reserve(timeoutNanos);
            if (r < 0) {
                return CompletableFuture.failedFuture(onRejected(-1 - r, "timeout"));
            }
            if (r == 0) {
                onPermitted(false, 0);
                return next.invoke(call);
            }
            int period = (int) (r - 1);
            long delay = untilOpen(period);
            onPermitted(true, delay);
            if (delay == 0) {
                return next.invoke(call);
            }
            AsyncWait wait = new AsyncWait(period, next, call);
            wait.scheduleIn(delay);
            return wait.outcome;
        };
    }

    /**
     * An asynchronous call holding a permit of a later period: woken by the clock's timer once it opened, and started
     * on {@link #asyncExecutor} (never on the shared timer thread, where a call that blocks would hold up every other
     * timer of the engine), in its caller's context (deadline included: a caller whose deadline passed while it
     * waited meets it in the call).
     */
    private final class AsyncWait implements Runnable {

        final int period;
        final AsyncInvoker next;
        final Supplier<? extends CompletionStage<?>> call;
        final CompletableFuture<Object> outcome = new CompletableFuture<>();
        final CallerContext caller = CallerContext.capture(carrier);
        volatile Scheduled task;

        AsyncWait(int period, AsyncInvoker next, Supplier<? extends CompletionStage<?>> call) {
            this.period = period;
            this.next = next;
            this.call = call;
            outcome.whenComplete((value, failure) -> {
                Scheduled t = task;
                if (outcome.isCancelled() && t != null) {
                    t.cancel();
                }
            });
        }

        void scheduleIn(long delay) {
            Scheduled t = clock.schedule(this, delay);
            task = t;
            if (outcome.isCancelled()) {
                t.cancel(); // cancelled while being scheduled
            }
        }

        @Override
        public void run() {
            if (outcome.isDone()) {
                return; // cancelled while waiting for its period
            }
            long delay = untilOpen(period);
            if (delay > 0) {
                scheduleIn(delay); // woke before its period was due (the clock's lag or a late opening)
                return;
            }
            Runnable start = caller.wrap(this::start);
            try {
                asyncExecutor.execute(start);
            } catch (Throwable refused) {
                start.run(); // e.g. an executor shutting down: the permit is spent, run late on this thread, never hang
            }
        }

        private void start() {
            CompletionStage<?> stage;
            try {
                stage = next.invoke(call);
            } catch (Throwable t) {
                stage = CompletableFuture.failedFuture(t);
            }
            stage.whenComplete((value, failure) -> {
                if (failure != null) {
                    outcome.completeExceptionally(Throwables.unwrap(failure));
                } else {
                    outcome.complete(value);
                }
            });
        }
    }

    /** @param reserved whether the permit was reserved in a later period (the fast path's permits are derived) */
    private void onPermitted(boolean reserved, long waitedNanos) {
        if (reserved) {
            permittedAfterWaiting.increment();
        }
        if (publisher.hasListeners()) {
            publisher.publish(new RateLimiterEvent(name, RateLimiterEvent.Type.SUCCESSFUL_ACQUIRE,
                    clock.currentTimeMillis(), Duration.ofNanos(waitedNanos), null));
        }
    }

    private RequestNotPermittedException onRejected(long retryAfterNanos, String reason) {
        rejected.increment();
        Duration retryAfter = Duration.ofNanos(retryAfterNanos);
        if (publisher.hasListeners()) {
            publisher.publish(new RateLimiterEvent(name, RateLimiterEvent.Type.FAILED_ACQUIRE,
                    clock.currentTimeMillis(), retryAfter, reason));
        }
        return "interrupted".equals(reason)
                ? RequestNotPermittedException.interrupted(name)
                : RequestNotPermittedException.timedOut(name, retryAfter);
    }

    @Override
    public String toString() {
        return "RateLimiter '" + name + "' " + config;
    }
}

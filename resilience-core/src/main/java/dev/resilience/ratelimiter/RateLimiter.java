package dev.resilience.ratelimiter;

import dev.resilience.Policy;
import dev.resilience.core.Clock;
import dev.resilience.core.Events;
import dev.resilience.spi.ContextCarrier;
import dev.resilience.spi.RateLimiterStore;
import dev.resilience.ratelimiter.internal.RateLimiterImpl;
import dev.resilience.ratelimiter.internal.StoreBackedRateLimiter;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Admits at most {@link RateLimiterConfig#limitForPeriod()} calls in each period of at least
 * {@link RateLimiterConfig#limitRefreshPeriod()}.
 *
 * <pre>{@code
 * RateLimiter limiter = RateLimiter.of("partner-api", RateLimiterConfig.builder()
 *         .limitForPeriod(10).limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofMillis(100))
 *         .build());
 * Quote quote = limiter.call(() -> partner.quote(order));   // RequestNotPermittedException when over the limit
 * }</pre>
 *
 * <p>How periods are timed: the first period begins at creation. A period never ends earlier than
 * {@code limitRefreshPeriod} after it began; the next one begins (with {@code limitForPeriod} fresh permits, less
 * those already reserved by waiting callers) as soon as it is due, opened by the limiter's timer or by the first
 * caller or waiter that finds it due. On a busy machine a period may therefore end a little late: the limiter then
 * admits slightly fewer calls, never more. Each period admits at most {@code limitForPeriod} calls, so any interval
 * of length {@code limitRefreshPeriod} admits at most twice that, as with any fixed-window limiter. A limiter left
 * unused for a whole period stops its timer (it then costs nothing); the next call starts a fresh period. Periods
 * shorter than 1 ms use no timer: they open only when a caller finds the current one due.
 *
 * <ul>
 *   <li>A caller that finds no permit left in the current period reserves one in the earliest period with
 *       capacity, but only if that period is expected to begin within its
 *       {@link RateLimiterConfig#timeoutDuration()}; it then waits until that period has begun (never earlier).
 *       Otherwise it gets {@link RequestNotPermittedException} at once, with the time until the next period is due
 *       as retry-after, and consumes nothing. Never more than {@code limitForPeriod} calls are admitted in any one
 *       period.</li>
 *   <li>An interrupt while waiting ends the wait, restores the interrupt flag and throws
 *       {@link RequestNotPermittedException} (the call does not run; the reserved permit is consumed, not
 *       returned).</li>
 *   <li>{@link #callAsync} blocks no thread: a call whose permit lies in a later period is started when that
 *       period opens, handed by the clock's timer to an executor (by default the engine's shared continuation
 *       threads, {@code resilience-continuation-<n>}; see {@link #of(String, RateLimiterConfig, Clock, Executor)}),
 *       so that a call that blocks delays no other timer; a rejection completes the stage exceptionally.</li>
 * </ul>
 *
 * <p>A call that finds a free permit takes no lock and allocates nothing: it does one compare-and-set on one
 * {@code long} and reads no clock. Opening a new period, and a reservation that overlaps a change of the limit, take
 * a read lock that only a change of the limit (or of the timeout) holds against them. No thread of its own (the period timer runs on the clock's timer thread,
 * which never runs a user's call).
 * Thread-safe.
 */
public interface RateLimiter extends Policy {

    /**
     * @param name instance name
     * @param config settings
     * @return a rate limiter on the system clock
     */
    static RateLimiter of(String name, RateLimiterConfig config) {
        return of(name, config, Clock.system());
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock the time source for periods, waits and event times
     * @return a rate limiter whose first period begins now
     */
    static RateLimiter of(String name, RateLimiterConfig config, Clock clock) {
        return new RateLimiterImpl(name, config, clock);
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock the time source for periods, waits and event times
     * @param carrier carries the context of an asynchronous caller that must wait for a later period to the
     *     thread that starts its call (its deadline is carried in any case)
     * @return a rate limiter whose first period begins now
     */
    static RateLimiter of(String name, RateLimiterConfig config, Clock clock, ContextCarrier carrier) {
        return new RateLimiterImpl(name, config, clock, carrier);
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock the time source for periods, waits and event times
     * @param asyncExecutor starts the asynchronous calls that waited for a later period (the timer only wakes them);
     *     default the engine's shared continuation threads. It should not run tasks on the calling (timer) thread;
     *     a test driving a {@code ManualClock} may pass {@code Runnable::run} to start them inside
     *     {@code advance}. If it refuses a task, that call is started on the timer thread after all (its permit is
     *     already spent). Synchronous calls never use it.
     * @return a rate limiter whose first period begins now
     */
    static RateLimiter of(String name, RateLimiterConfig config, Clock clock, Executor asyncExecutor) {
        return new RateLimiterImpl(name, config, clock, asyncExecutor, ContextCarrier.none());
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock the time source for periods, waits and event times
     * @param asyncExecutor as in {@link #of(String, RateLimiterConfig, Clock, Executor)}
     * @param carrier carries the context of an asynchronous caller that must wait for a later period to the
     *     thread that starts its call (its deadline is carried in any case)
     * @return a rate limiter whose first period begins now
     */
    static RateLimiter of(String name, RateLimiterConfig config, Clock clock, Executor asyncExecutor,
                          ContextCarrier carrier) {
        return new RateLimiterImpl(name, config, clock, Objects.requireNonNull(asyncExecutor, "asyncExecutor"), carrier);
    }

    /**
     * A limiter whose permits are counted by a shared store, so that every instance of a service using the same store
     * and name shares one limit (see {@link RateLimiterStore}). Each call asks the store once; an answer to wait keeps
     * the meaning of {@link RateLimiterConfig#timeoutDuration()} (a synchronous caller parks on the clock, an
     * asynchronous one is started by the clock's timer, no thread sleeps for it). A store that fails or does not answer
     * within {@code commandTimeout} makes the limiter apply {@link RateLimiterConfig#onStoreFailure()} until the store
     * answers again (asked by one caller at a time, at most once a second).
     *
     * @param name instance name, also the key counted in the store
     * @param config settings
     * @param clock the time source for waits, command timeouts and event times
     * @param store the shared store
     * @param commandTimeout how long a call waits for the store's answer before the failure mode applies; positive
     * @return a rate limiter backed by the store
     */
    static RateLimiter of(String name, RateLimiterConfig config, Clock clock, RateLimiterStore store,
                          Duration commandTimeout) {
        return new StoreBackedRateLimiter(name, name, config, clock, store, commandTimeout,
                dev.resilience.core.internal.ContinuationThreads.INSTANCE, ContextCarrier.none());
    }

    /**
     * Same as {@link #of(String, RateLimiterConfig, Clock, RateLimiterStore, Duration)} with the store's own
     * {@link RateLimiterStore#commandTimeout()}.
     *
     * @param name instance name, also the key counted in the store
     * @param config settings
     * @param clock the time source for waits, command timeouts and event times
     * @param store the shared store
     * @return a rate limiter backed by the store
     */
    static RateLimiter of(String name, RateLimiterConfig config, Clock clock, RateLimiterStore store) {
        return of(name, config, clock, store, store.commandTimeout());
    }

    /**
     * @param name instance name
     * @return a rate limiter with {@link RateLimiterConfig#defaults()} on the system clock
     */
    static RateLimiter ofDefaults(String name) {
        return of(name, RateLimiterConfig.defaults());
    }

    /** @return the settings now in force (reflecting run-time changes) */
    RateLimiterConfig config();

    /** @return a snapshot of the state and counters */
    RateLimiterMetrics metrics();

    @Override
    Events<RateLimiterEvent> events();

    /**
     * Changes the permits per period at run time, from the next period on (the current period keeps what it
     * has). Permits already reserved by waiting callers stay valid, in the periods they were reserved in: periods
     * whose permits were all reserved before the change admit those reserved calls only, and the new limit applies
     * from the last period holding a reservation on (that period admits its reserved calls and, if the new limit is
     * larger, more up to the new limit). So a raise never lets a period admit more than the new limit.
     *
     * @param limitForPeriod at least 1
     * @throws dev.resilience.core.InvalidConfigException if out of range
     */
    void changeLimitForPeriod(int limitForPeriod);

    /**
     * Changes how long later callers may wait for a permit; callers already waiting keep their reservation.
     *
     * @param timeoutDuration zero or positive
     * @throws dev.resilience.core.InvalidConfigException if out of range
     */
    void changeTimeoutDuration(Duration timeoutDuration);

    /**
     * Replaces the settings of this running limiter in one step, keeping its current period: the period in progress
     * keeps the permits it has left, reservations already made stay valid in the periods they were made for, and the
     * new {@link RateLimiterConfig#limitForPeriod()} applies as {@link #changeLimitForPeriod} says, the new
     * {@link RateLimiterConfig#timeoutDuration()} to callers that start waiting from now on. Publishes CONFIG_CHANGED.
     * The config was validated when it was built; the one setting that cannot change is checked before anything
     * changes, so this changes all or nothing.
     *
     * @param config the new settings
     * @throws NullPointerException if {@code config} is null
     * @throws IllegalArgumentException if {@link RateLimiterConfig#limitRefreshPeriod()} differs from this limiter's:
     *     the periods are counted from the limiter's start in that unit, so changing it takes a restart; nothing changed
     * @throws UnsupportedOperationException if this implementation cannot change its settings at run time (the
     *     built-in one can)
     */
    default void reconfigure(RateLimiterConfig config) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot change its settings at run time");
    }

    /**
     * Empties the current period: its free permits are gone, so callers are refused (or, within their timeout, reserve
     * a permit of a later period) until the next period opens, which it does when it is due, with its full limit.
     * For an operator, or for a downstream that answered 429 (Too Many Requests): it has told us the period is used up.
     *
     * <p>Later periods are unaffected, and so are reservations already made: callers waiting for a later period keep
     * their permits and run in the periods they reserved. The permits drained are not counted as permitted calls. A
     * limiter that was idle (unused for a whole period, see above) starts a period now, with no free permits. Draining a
     * period that has no free permit left does nothing.
     *
     * <p>A limiter backed by a shared store ({@code store: redis}) drains the store's period, for every instance
     * sharing the limit: the next request for a permit anywhere is refused until the store's period turns. It waits
     * for the store at most its command timeout; a store failure is handled as for any call (see
     * {@link #of(String, RateLimiterConfig, Clock, RateLimiterStore, Duration)}), not thrown.
     */
    void drainPermissions();

    /**
     * Starts the next period at once, with its full limit and a full period ahead of it: for tests (a test kit puts every
     * limiter back to full between tests) and for an operator who knows the downstream's quota was renewed. A full
     * limiter starts a fresh period too, so what follows a refill never depends on when the current period began;
     * an idle limiter (see above) is left as it is, since its next call opens a full period from that call's time.
     *
     * <p>Callers waiting for a permit reserved in a later period keep it, and run when their wait ends, no earlier; the
     * periods they reserved count as passed, so the refilled period's permits are all free. Like
     * {@link #changeLimitForPeriod(int)} it overrides time: around a refill, more than {@code limit-for-period} calls
     * may run within one period's length.
     */
    void refill();

    /**
     * @return how this limiter's shared store is doing, or empty for a limiter that counts its permits itself
     */
    default Optional<StoreStatus> storeStatus() {
        return Optional.empty();
    }

    /**
     * Tries to acquire one permit without running anything, waiting up to the timeout like a call would.
     *
     * @return {@code true} if a permit was acquired (the caller may proceed), {@code false} if none was
     *     available within the timeout or the thread was interrupted (then the flag is set again)
     */
    boolean acquirePermission();
}

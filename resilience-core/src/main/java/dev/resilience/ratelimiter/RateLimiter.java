package dev.resilience.ratelimiter;

import dev.resilience.Policy;
import dev.resilience.core.Clock;
import dev.resilience.core.Events;
import dev.resilience.ratelimiter.internal.RateLimiterImpl;

import java.time.Duration;

/**
 * Admits at most {@link RateLimiterConfig#limitForPeriod()} calls in each period of
 * {@link RateLimiterConfig#limitRefreshPeriod()} (periods count from the limiter's creation).
 *
 * <pre>{@code
 * RateLimiter limiter = RateLimiter.of("partner-api", RateLimiterConfig.builder()
 *         .limitForPeriod(10).limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofMillis(100))
 *         .build());
 * Quote quote = limiter.call(() -> partner.quote(order));   // RequestNotPermittedException when over the limit
 * }</pre>
 *
 * <ul>
 *   <li>A caller that finds no permit left in the current period reserves one in the earliest period with
 *       capacity, but only if that period begins within its {@link RateLimiterConfig#timeoutDuration()}; it then
 *       sleeps until that period. Otherwise it gets {@link RequestNotPermittedException} at once and consumes
 *       nothing. Never more than {@code limitForPeriod} calls are admitted in any one period.</li>
 *   <li>An interrupt while waiting ends the wait, restores the interrupt flag and throws
 *       {@link RequestNotPermittedException} (the call does not run; the reserved permit is consumed, not
 *       returned).</li>
 *   <li>{@link #callAsync} blocks no thread: a call whose permit lies in a later period is started at that
 *       period by the clock's timer; a rejection completes the stage exceptionally.</li>
 * </ul>
 *
 * <p>Lock-free and allocation-free on the call path (one compare-and-set on one {@code long}); no thread of
 * its own. Thread-safe.
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
     * has). Permits already reserved by waiting callers stay valid.
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
     * Tries to acquire one permit without running anything, waiting up to the timeout like a call would.
     *
     * @return {@code true} if a permit was acquired (the caller may proceed), {@code false} if none was
     *     available within the timeout or the thread was interrupted (then the flag is set again)
     */
    boolean acquirePermission();
}

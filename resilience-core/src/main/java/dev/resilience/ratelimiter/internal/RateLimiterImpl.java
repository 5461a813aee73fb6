package dev.resilience.ratelimiter.internal;

import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Clock;
import dev.resilience.core.Durations;
import dev.resilience.core.EventPublisher;
import dev.resilience.core.Events;
import dev.resilience.core.Invoker;
import dev.resilience.core.PolicySupport;
import dev.resilience.core.Scheduled;
import dev.resilience.core.Throwables;
import dev.resilience.core.Validate;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.RateLimiterEvent;
import dev.resilience.ratelimiter.RateLimiterMetrics;
import dev.resilience.ratelimiter.RequestNotPermittedException;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link RateLimiter} implementation.
 *
 * <p>All state is one {@code long}, updated by compare-and-set: the high 32 bits hold the number of the
 * period the state describes (periods counted from creation, {@code floor((now - start) / period)}, kept
 * modulo 2^32), the low 32 bits the permits still free in that period as a signed
 * int. Permits go negative when callers reserve permits of later periods: with {@code p} free permits
 * (possibly negative) in period {@code c}, the next permit taken is valid in period
 * {@code c + ceil((1 - p) / limit)} when {@code p < 1}. Moving to a later period adds {@code limit} per
 * elapsed period, capped at {@code limit}. A caller reserves (CAS) only when the period of its permit begins
 * within its timeout, so timed-out callers consume nothing, and each permit is taken by exactly one CAS,
 * so no period ever admits more than its limit (except that permits reserved before a
 * {@link #changeLimitForPeriod lowering of the limit} stay valid).
 *
 * <p>Periods are compared by their 32-bit difference. If the limiter stays unused for 2^31 periods or more (at
 * least 24 days with 1 ms periods, 68 years with 1 s periods), the stored period may look current or later than
 * now; it is then taken as the current period with the permits it had, so the limiter may under-admit (never
 * over-admit) in that one period.
 */
public final class RateLimiterImpl extends PolicySupport implements RateLimiter {

    private final String name;
    private final Clock clock;
    private final long startNanos;
    private final long periodNanos;
    private final AtomicLong state;
    private final EventPublisher<RateLimiterEvent> publisher = new EventPublisher<>();
    private final LongAdder permitted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final AtomicInteger waiting = new AtomicInteger();
    private final ReentrantLock changeLock = new ReentrantLock();
    private volatile RateLimiterConfig config;
    private volatile int limit;
    private volatile long timeoutNanos;

    /**
     * @param name instance name
     * @param config settings
     * @param clock time source; the first period begins now
     */
    public RateLimiterImpl(String name, RateLimiterConfig config, Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.periodNanos = config.limitRefreshPeriod().toNanos();
        this.limit = config.limitForPeriod();
        this.timeoutNanos = Durations.saturatedNanos(config.timeoutDuration());
        this.startNanos = clock.nanoTime();
        this.state = new AtomicLong(pack(0, limit));
    }

    private static long pack(long cycle, long permits) {
        return ((long) (int) cycle << 32) | (permits & 0xFFFF_FFFFL);
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
        long cycleNow = Math.floorDiv(clock.nanoTime() - startNanos, periodNanos);
        long permits = refreshed(s, cycleNow, currentLimit);
        return new RateLimiterMetrics(currentLimit, (int) Math.max(0, permits), waiting.get(), permitted.sum(), rejected.sum());
    }

    @Override
    public void changeLimitForPeriod(int limitForPeriod) {
        Validate.atLeast("limitForPeriod", limitForPeriod, 1);
        changeLock.lock();
        try {
            config = config.toBuilder().limitForPeriod(limitForPeriod).build();
            limit = limitForPeriod;
        } finally {
            changeLock.unlock();
        }
    }

    @Override
    public void changeTimeoutDuration(Duration timeoutDuration) {
        Validate.notNegative("timeoutDuration", timeoutDuration);
        changeLock.lock();
        try {
            config = config.toBuilder().timeoutDuration(timeoutDuration).build();
            timeoutNanos = Durations.saturatedNanos(timeoutDuration);
        } finally {
            changeLock.unlock();
        }
    }

    /**
     * Reserves one permit if it becomes valid within {@code timeout}.
     *
     * @param timeout the longest acceptable wait, in nanoseconds
     * @return {@code >= 0}: a permit is reserved and valid after this many nanoseconds; {@code < 0}: refused,
     *     nothing consumed, and {@code -1 - result} is the time to the next period in nanoseconds
     */
    long reserve(long timeout) {
        int currentLimit = limit;
        // State first, then time: whoever wrote this state read the clock before writing it, so (on a monotonic
        // clock) the state's period is never after the one computed here. The clock is read once, not on every
        // CAS retry (a retry under contention would otherwise pay for another clock read); only when a retry finds
        // a state written for a later period is the clock read again, which keeps that ordering.
        long prev = state.get();
        long elapsed = clock.nanoTime() - startNanos;
        long cycleNow = Math.floorDiv(elapsed, periodNanos);
        boolean timeIsFresh = true;
        while (true) {
            if ((int) cycleNow - (int) (prev >>> 32) < 0) {
                if (!timeIsFresh) {
                    elapsed = clock.nanoTime() - startNanos;
                    cycleNow = Math.floorDiv(elapsed, periodNanos);
                    timeIsFresh = true;
                    continue;
                }
                // The state looks later than a fresh reading of the clock (see refreshed): move it to the current
                // period, keeping its permits, so that later periods refresh normally again.
                state.compareAndSet(prev, pack(cycleNow, (int) prev));
                prev = state.get();
                continue;
            }
            long offsetInPeriod = elapsed - cycleNow * periodNanos;
            long permits = refreshed(prev, cycleNow, currentLimit);
            long taken = permits - 1;
            long wait;
            if (taken >= 0) {
                wait = 0;
            } else {
                long periodsAhead = (-taken + currentLimit - 1) / currentLimit;
                wait = nanosUntilPeriod(periodsAhead, offsetInPeriod);
            }
            if (wait > timeout || taken < Integer.MIN_VALUE) {
                return -1 - nanosUntilPeriod(1, offsetInPeriod);
            }
            if (state.compareAndSet(prev, pack(cycleNow, taken))) {
                return wait;
            }
            prev = state.get();
            timeIsFresh = false;
        }
    }

    /**
     * @return the permits free in period {@code cycleNow} given the state {@code s}: the state's permits plus
     *     {@code limit} per period passed since, at most {@code limit}. A state that looks later than now (the
     *     clock went backwards, or the limiter was unused for over 2^31 periods so the 32-bit period number
     *     wrapped) is taken as describing the current period, so no permit is ever created by it.
     */
    private static long refreshed(long s, long cycleNow, int currentLimit) {
        int delta = (int) cycleNow - (int) (s >>> 32);
        long permits = (int) s;
        if (delta > 0) {
            permits = Math.min(permits + (long) delta * currentLimit, currentLimit);
        }
        return permits;
    }

    private long nanosUntilPeriod(long periodsAhead, long offsetInPeriod) {
        if (periodsAhead > (Long.MAX_VALUE - 1) / periodNanos) {
            return Long.MAX_VALUE - 1;
        }
        return Math.max(0, periodsAhead * periodNanos - offsetInPeriod);
    }

    @Override
    public boolean acquirePermission() {
        long r = reserve(timeoutNanos);
        if (r < 0) {
            onRejected(-1 - r, "timeout");
            return false;
        }
        if (r > 0 && !sleepFor(r)) {
            onRejected(0, "interrupted");
            return false;
        }
        onPermitted(r);
        return true;
    }

    /** @return false if interrupted (flag restored) */
    private boolean sleepFor(long nanos) {
        waiting.incrementAndGet();
        try {
            clock.sleep(nanos);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
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
            if (r > 0 && !sleepFor(r)) {
                throw onRejected(0, "interrupted");
            }
            onPermitted(r);
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
            onPermitted(r);
            if (r == 0) {
                return next.invoke(call);
            }
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            Scheduled scheduled = clock.schedule(() -> {
                if (outcome.isDone()) {
                    return; // cancelled while waiting for its period
                }
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
            }, r);
            outcome.whenComplete((value, failure) -> {
                if (outcome.isCancelled()) {
                    scheduled.cancel();
                }
            });
            return outcome;
        };
    }

    private void onPermitted(long waitedNanos) {
        permitted.increment();
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

package dev.resilience.circuitbreaker.internal;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;

import java.util.concurrent.atomic.AtomicReference;

/**
 * CLOSED: admits every call and records its outcome into a sliding window (a {@link CountWindow} or a
 * {@link TimeWindow}, by the config), opening the breaker when, with at least the minimum number of calls in the
 * window, the failure rate or the slow-call rate reaches its threshold.
 *
 * <p>A fast success that cannot open the breaker does not enter the window at once: it is counted in
 * {@link DeferredSuccesses} (for a TIME_BASED window, one per second, while that second is the window's latest), and
 * every other outcome, every metrics snapshot, the transition out of CLOSED and the start of a new second first move
 * those successes into the window. Concurrent callers succeeding therefore write no shared cache line, and the window
 * sees the successes no later than the next outcome that could change a decision.
 *
 * <p>A change of configuration that gives the window another type or size replaces this state by a CLOSED state with
 * the new window ({@link #successorFor}): this window is closed, and what it holds is carried over (the latest
 * outcomes, or seconds, that fit; nothing when the type changes, as outcomes counted by number have no time and
 * seconds have no order within them). Every outcome that reaches this state afterwards (a call it admitted, a
 * deferred success) goes on to the successor, so the change loses no outcome and counts none twice.
 */
final class ClosedState extends BreakerState {

    private final CountWindow countWindow;
    private final TimeWindow timeWindow;
    /**
     * Fast successes not yet in the window: a striped counter, so that two threads recording successes write
     * different cache lines instead of taking turns on the window. A time window gets a new one for each second.
     */
    private final AtomicReference<DeferredSuccesses> deferred;
    /** Set once a change of configuration closes this state's window; outcomes then go to {@link #successor}. */
    private volatile boolean closing;
    /** The state that took over this one's window, once {@link #closing}. */
    private volatile ClosedState successor;

    ClosedState(CircuitBreakerImpl breaker) {
        super(breaker);
        BreakerSettings settings = breaker.settings;
        if (settings.timeBased) {
            countWindow = null;
            timeWindow = new TimeWindow(settings.windowSize, breaker.clock.nanoTime());
            deferred = new AtomicReference<>(new DeferredSuccesses(timeWindow.latestSecond()));
        } else {
            countWindow = new CountWindow(settings.windowSize);
            timeWindow = null;
            deferred = new AtomicReference<>(new DeferredSuccesses(0L));
        }
    }

    private ClosedState(CircuitBreakerImpl breaker, CountWindow countWindow, TimeWindow timeWindow) {
        super(breaker);
        this.countWindow = countWindow;
        this.timeWindow = timeWindow;
        this.deferred = new AtomicReference<>(new DeferredSuccesses(timeWindow == null ? 0L : timeWindow.latestSecond()));
    }

    /** @return whether a window built for {@code settings} has another type or size than this state's */
    boolean windowDiffers(BreakerSettings settings) {
        if (settings.timeBased != (timeWindow != null)) {
            return true;
        }
        return settings.windowSize != (countWindow != null ? countWindow.size() : timeWindow.size());
    }

    /**
     * Closes this state's window (waiting for the outcomes being written into it) and returns a CLOSED state with a
     * window for {@code settings} holding what fits of it. Called by the one change of configuration under way; the
     * caller then makes the successor current and hands it over with {@link #successor(ClosedState)}.
     */
    ClosedState successorFor(BreakerSettings settings) {
        closing = true;
        CountWindow newCount = null;
        TimeWindow newTime = null;
        if (countWindow != null) {
            int[] outcomes = countWindow.close();
            if (settings.timeBased) {
                newTime = new TimeWindow(settings.windowSize, breaker.clock.nanoTime());
            } else {
                newCount = new CountWindow(settings.windowSize, outcomes);
            }
        } else {
            timeWindow.close();
            if (settings.timeBased) {
                newTime = timeWindow.resizedTo(settings.windowSize);
            } else {
                newCount = new CountWindow(settings.windowSize);
            }
        }
        return new ClosedState(breaker, newCount, newTime);
    }

    /** @param next where outcomes reaching this closed state go from now on */
    void successor(ClosedState next) {
        successor = next;
    }

    /**
     * @return the successor of a state whose window was closed (waiting the moment until the change hands it over),
     *     or null if this state was left by an ordinary transition (its outcomes then decide nothing, as always)
     */
    private ClosedState successorOrNull() {
        if (!closing) {
            return null;
        }
        ClosedState next;
        int spins = 0;
        while ((next = successor) == null) {
            spins = CountWindow.backOff(spins);
        }
        return next;
    }

    /** The minimum number of calls for this state's window: a count window's never exceeds its size. */
    @Override
    int minimumCalls() {
        return minimumCalls(breaker.settings);
    }

    private int minimumCalls(BreakerSettings settings) {
        int minimum = settings.minimumCalls;
        return countWindow != null ? Math.min(minimum, countWindow.size()) : minimum;
    }

    @Override
    State state() {
        return State.CLOSED;
    }

    @Override
    long tryAcquire() {
        return PERMIT;
    }

    @Override
    boolean needsTime() {
        return timeWindow != null;
    }

    /**
     * Records into this state's window or, once it is closed, into its successor's, and so on: a loop, not a
     * recursion, since a call may outlast any number of changes of configuration.
     */
    @Override
    void record(int category, long nowNanos) {
        ClosedState target = this;
        long now = nowNanos;
        while ((target = target.recordHere(category, now)) != null) {
            now = target.timeWindow != null ? breaker.clock.coarseNanoTime() : 0L;
        }
    }

    /** @return null once recorded here; else the successor to record into instead */
    private ClosedState recordHere(int category, long nowNanos) {
        flushDeferred(deferred.get());
        if (countWindow != null) {
            long aggregate = countWindow.record(category);
            if (aggregate == CountWindow.CLOSED) {
                return successorOrNull();
            }
            evaluate(aggregate);
            return null;
        }
        if (!timeWindow.record(category, nowNanos)) {
            return successorOrNull();
        }
        DeferredSuccesses current = deferred.get();
        if (current.second < timeWindow.latestSecond()
                && deferred.compareAndSet(current, new DeferredSuccesses(timeWindow.latestSecond()))) {
            flushDeferred(current); // successes a racing call added to the second just left
        }
        evaluateTimeWindow();
        return null;
    }

    /**
     * A fast success that cannot open the breaker waits in {@link #deferred}, so that concurrent successes write no
     * shared cache line; for a time window only while its second is the window's latest (the first success of a
     * new second takes the usual path, which moves the window on). It is added to the window and the running
     * total by the next flush: any other outcome, a metrics read, the state's exit or the start of a new second.
     * The counter is raised before the state and the current {@link DeferredSuccesses} are read again, and whoever
     * retires either reads the counter after retiring it, so at least one of them sees the success, and
     * {@link DeferredSuccesses#take()} makes sure that only one counts it.
     */
    @Override
    boolean deferSuccess(long nowNanos, BreakerSettings settings) {
        DeferredSuccesses d = deferred.get();
        int minimumCalls = minimumCalls(settings);
        if (countWindow != null) {
            if (!mayDefer(countWindow.snapshot(), minimumCalls)) {
                return false;
            }
        } else if (timeWindow.secondOf(nowNanos) != d.second || !timeWindow.onlyFastSuccessesOrAtLeast(minimumCalls)) {
            return false;
        }
        d.count.increment();
        if (breaker.state.get() != this || deferred.get() != d) {
            flushDeferred(d);
        }
        return true;
    }

    @Override
    void exit() {
        flushDeferred(deferred.get());
    }

    /**
     * Whether a fast success may wait in {@link #deferred} instead of entering the window now: only when entering
     * now could not open the breaker. A success never raises a rate, so it can only open the breaker by bringing
     * the window up to the minimum number of calls; with the minimum already reached, or with nothing but fast
     * successes in the window (thresholds are above 0 %), it cannot. In a count window both conditions stay true
     * until the window is replaced: the buffered count never shrinks, and every other outcome flushes the
     * deferred successes before it enters. In a time window seconds expire; deferred successes are then
     * evaluated when they enter, as if they had ended then.
     */
    private static boolean mayDefer(long aggregate, int minimumCalls) {
        return (aggregate & ~CountWindow.FIELD_MASK) == 0
                || CountWindow.buffered(aggregate) >= minimumCalls;
    }

    /**
     * Moves the successes of {@code d} not yet taken into the running total and, while this state is current,
     * into the window, all at once: into a count window as one batch (more than its size of them leave the same
     * window as exactly its size), or into their second of a time window. Either is evaluated at the first count
     * that reaches the minimum, where the failure rate is highest; recording them one by one, each evaluated,
     * could open the breaker there and nowhere else.
     */
    private void flushDeferred(DeferredSuccesses d) {
        long successes = d.take();
        if (successes == 0) {
            return;
        }
        breaker.totals.deferredSuccessful.add(successes);
        enterSuccesses(successes, d.second);
    }

    /**
     * Enters fast successes, already in the running total, into this state's window, or its successor's once the
     * window is closed.
     *
     * @param second for a time window, the second they belong to
     */
    private void enterSuccesses(long successes, long second) {
        ClosedState target = this;
        long at = second;
        while (true) {
            ClosedState next = target.enterSuccessesHere(successes, at);
            if (next == null) {
                return;
            }
            // The seconds of a time window continue in its successor; a count window has none, and a time window
            // replacing a count window starts at the time of the change.
            at = next.timeWindow == null ? 0L : target.timeWindow != null ? at : next.timeWindow.latestSecond();
            target = next;
        }
    }

    /** @return null once entered here (or dropped with a state left behind); else the successor to enter them into */
    private ClosedState enterSuccessesHere(long successes, long second) {
        if (breaker.state.get() != this && !closing) {
            return null; // the window was left behind with the state
        }
        int minimumCalls = minimumCalls();
        if (countWindow != null) {
            long aggregate = closing ? CountWindow.CLOSED
                    : countWindow.recordSuccesses((int) Math.min(successes, countWindow.size()), minimumCalls);
            if (aggregate == CountWindow.CLOSED) {
                return successorOrNull();
            }
            evaluate(aggregate);
            return null;
        }
        float failureRate = timeWindow.failureRate(successes, minimumCalls);
        float slowRate = breaker.settings.slowNanos > 0 ? timeWindow.slowCallRate(successes, minimumCalls) : -1f;
        if (timeWindow.addSuccesses(second, successes)) {
            evaluate(failureRate, slowRate);
            return null;
        }
        return timeWindow.closed() ? successorOrNull() : null;
    }

    /** Reads each rate in the order that can make it too low but never too high (see {@link TimeWindow}). */
    private void evaluateTimeWindow() {
        int minimumCalls = minimumCalls();
        evaluate(timeWindow.failureRate(0, minimumCalls),
                breaker.settings.slowNanos > 0 ? timeWindow.slowCallRate(0, minimumCalls) : -1f);
    }

    private void evaluate(long aggregate) {
        evaluate(CountWindow.buffered(aggregate), CountWindow.failed(aggregate), CountWindow.slow(aggregate));
    }

    private void evaluate(long buffered, long failed, long slow) {
        if (buffered < minimumCalls() || buffered == 0) {
            return;
        }
        evaluate(failed * 100f / buffered, slow * 100f / buffered);
    }

    /** @param failureRate percent, or -1 (under the minimum) @param slowRate percent, or -1 */
    private void evaluate(float failureRate, float slowRate) {
        BreakerSettings settings = breaker.settings;
        if (failureRate >= settings.failureThreshold || slowRate >= settings.slowThreshold) {
            breaker.openOnRates(this, failureRate, slowRate);
        }
    }

    @Override
    long[] frozenCounts() {
        flushDeferred(deferred.get());
        if (countWindow != null) {
            return BreakerTotals.countsOf(countWindow.snapshot());
        }
        timeWindow.advance(breaker.clock.nanoTime());
        return timeWindow.counts();
    }

    @Override
    CircuitBreakerMetrics metrics(long notPermittedCalls) {
        return breaker.totals.metrics(State.CLOSED, frozenCounts(), minimumCalls(), notPermittedCalls);
    }
}

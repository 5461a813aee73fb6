package dev.resilience.circuitbreaker.internal;

import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerEvent;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Clock;
import dev.resilience.core.EventPublisher;
import dev.resilience.core.Events;
import dev.resilience.core.Invoker;
import dev.resilience.core.Scheduled;
import dev.resilience.core.internal.Durations;
import dev.resilience.core.internal.ExceptionClassifier;
import dev.resilience.core.internal.PolicySupport;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The circuit breaker: admission, the classification of outcomes, and the transitions between its states.
 *
 * <p>The state is a state object ({@link BreakerState}: {@link ClosedState}, {@link OpenState},
 * {@link HalfOpenState}, {@link FixedState}) in an {@link AtomicReference}; every transition is a CAS from one state
 * object to a fresh one, so exactly one of many racing threads performs (and reports) a transition, and the losers do
 * nothing. A call reads the reference once when it is admitted and records its outcome into THAT state object; if the
 * breaker has moved on meanwhile, the outcome lands in a discarded window and any transition it would trigger fails
 * its CAS. So calls admitted before a transition never decide the new state. Per call nothing is allocated (the state
 * objects already exist) and no lock is taken; transitions allocate the new state object (with a fresh window). The
 * windows themselves are not lock-free throughout: a {@link CountWindow} writer waits for the writer before it to
 * finish (see there).
 *
 * <p>In a CLOSED breaker a fast success that cannot open the breaker waits in a striped counter instead of entering
 * the window (see {@link ClosedState} and {@link DeferredSuccesses}). The running totals for metrics registries are
 * {@link BreakerTotals}; the asynchronous chain link is {@link AsyncBreakerInvoker}; {@link #tryAcquire()} returns a
 * {@link BreakerPermit}; transitions are published in order by {@link TransitionEvents}.
 *
 * <p>Clock reads on the CLOSED success path: none for a COUNT_BASED window without slow-call detection, one
 * {@link Clock#coarseNanoTime() coarse} read (a volatile read on the system clock, to pick the per-second bucket)
 * for a TIME_BASED window without it, two (start and end) with slow-call detection: coarse ones when the threshold is
 * at least 100 times the clock's {@linkplain Clock#coarseResolutionNanos() coarse resolution} (slow or not is all the
 * breaker needs to know, and 1 % of the threshold is precision enough), exact ones below. The end time also picks a
 * TIME_BASED window's bucket. A coarse-timed fast call mostly measures zero, and adds nothing to the duration totals.
 */
public final class CircuitBreakerImpl extends PolicySupport implements CircuitBreaker {

    /** In place of a duration: the breaker times the call itself. */
    static final long MEASURE = -1L;
    private static final System.Logger LOG = System.getLogger(CircuitBreakerImpl.class.getName());

    /** In place of a start time: the call was not timed (no slow-call detection when it was admitted). */
    static final long NOT_TIMED = Long.MIN_VALUE;

    private final String name;
    final Clock clock;
    final EventPublisher<CircuitBreakerEvent> publisher = new EventPublisher<>();
    final AtomicReference<BreakerState> state;
    private final TransitionEvents transitionEvents;
    final BreakerTotals totals;
    /** The settings in force: replaced whole by {@link #reconfigure}; see {@link BreakerSettings} for who reads when. */
    volatile BreakerSettings settings;
    /** Held by {@link #reconfigure} only (never by a call), so that changes of configuration take turns. */
    private final java.util.concurrent.locks.ReentrantLock reconfiguring = new java.util.concurrent.locks.ReentrantLock();

    /**
     * @param name instance name
     * @param config configuration
     * @param clock time source
     */
    public CircuitBreakerImpl(String name, CircuitBreakerConfig config, Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = new BreakerSettings(Objects.requireNonNull(config, "config"), clock);
        this.totals = new BreakerTotals(settings.slowNanos > 0);
        BreakerState initial = new ClosedState(this);
        this.state = new AtomicReference<>(initial);
        this.transitionEvents = new TransitionEvents(this, initial);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public CircuitBreakerConfig config() {
        return settings.config;
    }

    @Override
    public Events<CircuitBreakerEvent> events() {
        return publisher;
    }

    @Override
    public State state() {
        return state.get().state();
    }

    @Override
    public CircuitBreakerMetrics metrics() {
        return state.get().metrics(totals.notPermitted.sum());
    }

    // ---------------------------------------------------------------- admission

    @Override
    public Invoker decorate(Invoker next) {
        Objects.requireNonNull(next, "next");
        return (call, runner) -> {
            BreakerState admitted = admit();
            // One read of the settings per call: the call is timed and classified by the settings it was admitted
            // under, and a change of configuration applies from the next call on.
            BreakerSettings s = settings;
            long start = startTime(s);
            Object result;
            try {
                result = next.invoke(call, runner);
            } catch (Throwable t) {
                onError(admitted, s, start, MEASURE, t);
                throw t;
            }
            onResult(admitted, s, start, result);
            return result;
        };
    }

    @Override
    public AsyncInvoker decorateAsync(AsyncInvoker next) {
        return new AsyncBreakerInvoker(this, Objects.requireNonNull(next, "next"));
    }

    /** The time that times calls under {@code s}: coarse or exact (see the class comment). */
    long callTime(BreakerSettings s) {
        return s.coarseTiming ? clock.coarseNanoTime() : clock.nanoTime();
    }

    /** @return the start time of a call admitted now under {@code s}, or {@link #NOT_TIMED} without slow-call detection */
    long startTime(BreakerSettings s) {
        return s.slowNanos > 0 ? callTime(s) : NOT_TIMED;
    }

    /** @return the state that admitted the call @throws CallNotPermittedException if rejected (counted, published) */
    BreakerState admit() {
        while (true) {
            BreakerState current = state.get();
            long decision = current.tryAcquire();
            if (decision == BreakerState.PERMIT) {
                return current;
            }
            if (decision != BreakerState.RETRY) {
                CallNotPermittedException rejection = new CallNotPermittedException(name, current.state(), decision);
                rejected(current);
                throw rejection;
            }
        }
    }

    private void rejected(BreakerState current) {
        totals.notPermitted.increment();
        if (publisher.hasListeners()) {
            publish(CircuitBreakerEvent.Type.NOT_PERMITTED, Map.of("state", current.state().name()));
        }
    }

    @Override
    public Permit tryAcquire() {
        while (true) {
            BreakerState current = state.get();
            long decision = current.tryAcquire();
            if (decision == BreakerState.PERMIT) {
                BreakerSettings s = settings;
                return new BreakerPermit(this, current, s, startTime(s));
            }
            if (decision != BreakerState.RETRY) {
                rejected(current);
                return null;
            }
        }
    }

    // ---------------------------------------------------------------- outcomes

    /** @param s the settings the call was admitted under */
    void onResult(BreakerState admitted, BreakerSettings s, long start, Object result) {
        boolean failed;
        try {
            Predicate<Object> resultPredicate = s.resultPredicate;
            failed = resultPredicate != null && resultPredicate.test(result);
        } catch (Throwable predicateFailure) {
            onResultPredicateFailure(admitted, s, start, result, predicateFailure);
            return;
        }
        // The outcome's event goes out before recording it, so it precedes any transition the outcome causes.
        if (failed) {
            if (publisher.hasListeners() && admitted.recording()) {
                publish(CircuitBreakerEvent.Type.ERROR, Map.of("result", String.valueOf(result)));
            }
            record(admitted, s, start, MEASURE, Outcome.FAILED);
        } else {
            onSuccess(admitted, s, start, MEASURE);
        }
    }

    void onSuccess(BreakerState admitted, BreakerSettings s, long start, long tookNanos) {
        if (publisher.hasListeners() && admitted.recording()) {
            publish(CircuitBreakerEvent.Type.SUCCESS, Map.of());
        }
        record(admitted, s, start, tookNanos, Outcome.SUCCESS);
    }

    /**
     * A result predicate that throws cannot say whether the result is a failure; the call still has to settle its
     * permit, so it counts as failed (the cautious answer), while the caller keeps the result the call did produce,
     * the same synchronously and asynchronously. The predicate's exception has no exception of the call's to ride
     * on, so it is logged and named in the ERROR event.
     */
    private void onResultPredicateFailure(BreakerState admitted, BreakerSettings s, long start, Object result,
            Throwable predicateFailure) {
        LOG.log(System.Logger.Level.WARNING, "CircuitBreaker '" + name + "': the recordResult predicate threw; the call"
                + " is recorded as a failure and its result returned to the caller", predicateFailure);
        if (publisher.hasListeners() && admitted.recording()) {
            Map<String, Object> details = new LinkedHashMap<>(4);
            details.put("result", String.valueOf(result));
            details.put("predicateError", predicateFailure.getClass().getName());
            publish(CircuitBreakerEvent.Type.ERROR, details);
        }
        record(admitted, s, start, MEASURE, Outcome.FAILED);
    }

    /** @param tookNanos the call's duration as its caller measured it, or {@link #MEASURE}: time it from {@code start} */
    void onError(BreakerState admitted, BreakerSettings s, long start, long tookNanos, Throwable error) {
        int outcome;
        Throwable predicateFailure = null;
        try {
            outcome = classify(s.classifier, error);
        } catch (Throwable t) {
            // A record or ignore predicate that throws must not keep the call's permit: the call counts as failed,
            // and its caller still gets its own exception, now carrying the predicate's.
            outcome = FAILURE;
            predicateFailure = t;
            if (t != error) {
                error.addSuppressed(t);
            }
        }
        if (outcome == FAILURE) {
            if (publisher.hasListeners() && admitted.recording()) {
                Map<String, Object> details = new LinkedHashMap<>(4);
                details.put("error", error.getClass().getName());
                if (predicateFailure != null) {
                    details.put("predicateError", predicateFailure.getClass().getName());
                }
                publish(CircuitBreakerEvent.Type.ERROR, details);
            }
            record(admitted, s, start, tookNanos, Outcome.FAILED);
        } else if (outcome == SUCCESS) {
            onSuccess(admitted, s, start, tookNanos);
        } else {
            onIgnored(admitted, error);
        }
    }

    private static final int IGNORED = 0;
    private static final int FAILURE = 1;
    private static final int SUCCESS = 2;

    /**
     * An Error (the JVM's or a linkage problem, not an answer of the protected dependency) is ignored unless the
     * record classes name it, so that it neither opens the breaker nor uses up a half-open trial. Any other
     * exception is ignored by the ignore settings, else a failure where the record settings record it, else (as in
     * Resilience4j) a success: the dependency answered, with an exception the configuration does not call a failure.
     */
    private static int classify(ExceptionClassifier classifier, Throwable error) {
        if (classifier.ignores(error)) {
            return IGNORED;
        }
        return classifier.records(error) ? FAILURE : SUCCESS;
    }

    void onIgnored(BreakerState admitted, Throwable error) {
        if (admitted.recording()) {
            totals.ignored.increment();
        }
        admitted.release();
        if (publisher.hasListeners() && admitted.recording()) {
            publish(CircuitBreakerEvent.Type.IGNORED_ERROR,
                    error == null ? Map.of() : Map.of("error", error.getClass().getName()));
        }
    }

    /**
     * @param tookNanos the call's duration as its caller measured it, or {@link #MEASURE}: time it from {@code start}
     */
    private void record(BreakerState admitted, BreakerSettings s, long start, long tookNanos, int failed) {
        if (!admitted.recording()) {
            return;
        }
        boolean failure = failed == Outcome.FAILED;
        int category = failed;
        long now = 0L;
        long slowNanos = s.slowNanos;
        // A call admitted before slow-call detection was turned on has no start time: it counts as fast.
        if (slowNanos > 0 && (tookNanos != MEASURE || start != NOT_TIMED)) {
            long took;
            if (tookNanos == MEASURE) {
                now = callTime(s);
                took = now - start;
            } else {
                now = admitted.needsTime() ? clock.coarseNanoTime() : 0L;
                took = tookNanos;
            }
            if (took > slowNanos) {
                category |= Outcome.SLOW;
            }
            // Coarse timing measures most fast calls as 0 (or, across the ticker's start, a hair below): no update.
            if (took > 0) {
                (failure ? totals.failedNanos : totals.successfulNanos).add(took);
            }
        } else if (admitted.needsTime()) {
            now = clock.coarseNanoTime(); // only to pick a per-second bucket
        }
        if (category == Outcome.SUCCESS && admitted.deferSuccess(now, s)) {
            return;
        }
        (failure ? totals.failed : totals.successful).increment();
        admitted.record(category, now);
    }

    // ---------------------------------------------------------------- transitions

    /**
     * Makes {@code to} current if {@code from} still is, and publishes the transition.
     *
     * @return whether this thread made the transition ({@code false}: another thread changed the state first)
     */
    boolean transition(BreakerState from, BreakerState to) {
        if (!state.compareAndSet(from, to)) {
            return false;
        }
        from.exit();
        to.enter();
        from.next = to;
        transitionEvents.publishLinked();
        return true;
    }

    /** Opens from {@code from} because a rate was exceeded; the transition also reports the exceeded rate(s). */
    void openOnRates(BreakerState from, float failureRate, float slowRate) {
        transition(from, new OpenState(this, from, failureRate, slowRate, BreakerState.CONFIGURED_WAIT));
    }

    /**
     * @param from the state being left for OPEN
     * @return the number of the opening that leaving {@code from} makes: one more than the opening a HALF_OPEN state
     *     followed, the same for OPEN (re-opened by {@link #transitionToOpenStateFor}), else 1 (a new row)
     */
    static int nextOpening(BreakerState from) {
        int previous = from.opening();
        if (from.state() == State.HALF_OPEN) {
            return previous == Integer.MAX_VALUE ? previous : previous + 1;
        }
        return Math.max(1, previous);
    }

    /**
     * @param opening the opening's number in its row, from 1
     * @return {@code min(wait * multiplier^(opening-1), max)} in nanoseconds, saturated
     */
    long openWaitNanos(int opening) {
        BreakerSettings s = settings;
        if (opening <= 1 || s.openMultiplier == 1.0) {
            return s.openNanos; // exact, also for waits beyond the 53 bits a double holds
        }
        double grown = s.openNanos * Math.pow(s.openMultiplier, opening - 1);
        if (!(grown < s.maxOpenNanos)) {
            return s.maxOpenNanos;
        }
        return Math.max(s.openNanos, (long) grown);
    }

    @Override
    public void transitionToClosedState() {
        manualTransition(State.CLOSED);
    }

    @Override
    public void transitionToOpenState() {
        manualTransition(State.OPEN);
    }

    @Override
    public void transitionToOpenStateFor(Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, but was " + duration);
        }
        long waitNanos = Durations.saturatedNanos(duration);
        while (true) {
            BreakerState current = state.get();
            if (transition(current, new OpenState(this, current, -1f, -1f, waitNanos))) {
                return;
            }
        }
    }

    @Override
    public void transitionToHalfOpenState() {
        manualTransition(State.HALF_OPEN);
    }

    @Override
    public void transitionToForcedOpenState() {
        manualTransition(State.FORCED_OPEN);
    }

    @Override
    public void transitionToDisabledState() {
        manualTransition(State.DISABLED);
    }

    private void manualTransition(State target) {
        while (true) {
            BreakerState current = state.get();
            if (current.state() == target) {
                return;
            }
            BreakerState next;
            switch (target) {
                case CLOSED:
                    next = new ClosedState(this);
                    break;
                case OPEN:
                    next = new OpenState(this, current, -1f, -1f, BreakerState.CONFIGURED_WAIT);
                    break;
                case HALF_OPEN:
                    next = new HalfOpenState(this, current.opening());
                    break;
                case FORCED_OPEN:
                    next = new FixedState(this, State.FORCED_OPEN);
                    break;
                default:
                    next = new FixedState(this, State.DISABLED);
                    break;
            }
            if (transition(current, next)) {
                return;
            }
        }
    }

    @Override
    public void reset() {
        ClosedState fresh = new ClosedState(this);
        fresh.enteredByReset = true;
        BreakerState previous = state.getAndSet(fresh);
        totals.notPermitted.reset();
        previous.exit();
        previous.next = fresh;
        transitionEvents.publishLinked();
    }

    /**
     * Swaps the settings first, so that every state entered from now on (by this change or by any racing transition)
     * is built with them; then, if the CLOSED window must change its type or size, replaces the current CLOSED state by
     * one with the new window, filled with what the old one held (see {@link ClosedState#successorFor}). Calls admitted
     * by the old CLOSED state record into the new one, so no outcome is lost. Any other state is kept as it is.
     */
    @Override
    public void reconfigure(CircuitBreakerConfig config) {
        Objects.requireNonNull(config, "config");
        BreakerSettings next = new BreakerSettings(config, clock);
        BreakerSettings previous;
        reconfiguring.lock();
        try {
            previous = settings;
            settings = next;
            totals.timed(next.slowNanos > 0);
            while (true) {
                BreakerState current = state.get();
                if (!(current instanceof ClosedState closed) || !closed.windowDiffers(next)) {
                    break;
                }
                ClosedState fresh = closed.successorFor(next);
                fresh.enteredByReconfiguration = true;
                boolean replaced = state.compareAndSet(closed, fresh);
                closed.successor(fresh);
                if (replaced) {
                    closed.exit(); // its deferred successes go to the successor
                    closed.next = fresh;
                    transitionEvents.publishLinked();
                    break;
                }
                // Another transition left that CLOSED state first: the state it entered was built with the new
                // settings, unless it is a CLOSED state that a reset built before the swap; look again.
            }
        } finally {
            reconfiguring.unlock();
        }
        if (publisher.hasListeners()) {
            Map<String, Object> details = new LinkedHashMap<>(4);
            details.put("from", previous.config.toString());
            details.put("to", config.toString());
            publish(CircuitBreakerEvent.Type.CONFIG_CHANGED, details);
        }
    }

    void publish(CircuitBreakerEvent.Type type, Map<String, Object> details) {
        publisher.publish(new CircuitBreakerEvent(name, type, clock.currentTimeMillis(), details));
    }

    /**
     * A racing transition may leave a state between its CAS and its {@code enter()}; its {@code exit()} then found no
     * timer to cancel. The timer is stored before the state is read here, and read after the state changed there,
     * so one of the two cancels it.
     */
    void cancelTimerIfLeft(BreakerState entered, Scheduled timer) {
        if (state.get() != entered) {
            timer.cancel();
        }
    }

    @Override
    public String toString() {
        return "CircuitBreaker '" + name + "' " + state();
    }
}

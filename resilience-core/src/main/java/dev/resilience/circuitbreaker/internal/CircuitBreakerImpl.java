package dev.resilience.circuitbreaker.internal;

import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerEvent;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Clock;
import dev.resilience.core.internal.Durations;
import dev.resilience.core.EventPublisher;
import dev.resilience.core.Events;
import dev.resilience.core.ExceptionClassifier;
import dev.resilience.core.Invoker;
import dev.resilience.core.PolicySupport;
import dev.resilience.core.Scheduled;
import dev.resilience.core.internal.Throwables;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The circuit breaker's state machine.
 *
 * <p>The state is an immutable-identity state object in an {@link AtomicReference}; every transition is a CAS
 * from one state object to a fresh one, so exactly one of many racing threads performs (and reports) a
 * transition, and the losers do nothing. A call reads the reference once when it is admitted and records its
 * outcome into THAT state object; if the breaker has moved on meanwhile, the outcome lands in a discarded window
 * and any transition it would trigger fails its CAS. So calls admitted before a transition never decide the new
 * state. Per call nothing is allocated (the state objects already exist) and no lock is taken; transitions
 * allocate the new state object (with a fresh window).
 *
 * <p>In a CLOSED breaker a fast success that cannot open the breaker (the window already holds the minimum number of
 * calls, or nothing but fast successes) does not enter the window at once: it increments a striped counter (for a
 * TIME_BASED window, one per second, while that second is the window's latest), and every other outcome, every
 * metrics snapshot, the transition out of CLOSED and the start of a new second first move those successes into the
 * window. Concurrent callers succeeding therefore write no shared cache line, and the window sees
 * the successes no later than the next outcome that could change a decision.
 *
 * <p>Clock reads on the CLOSED success path: none for a COUNT_BASED window without slow-call detection, one
 * {@link Clock#coarseNanoTime() coarse} read (a volatile read on the system clock, to pick the per-second bucket)
 * for a TIME_BASED window without it, two (start and end) with slow-call detection: coarse ones when the threshold is
 * at least 100 times the clock's {@linkplain Clock#coarseResolutionNanos() coarse resolution} (slow or not is all the
 * breaker needs to know, and 1 % of the threshold is precision enough), exact ones below. The end time also picks a
 * TIME_BASED window's bucket. A coarse-timed fast call mostly measures zero, and adds nothing to the duration totals.
 *
 * <p>Consecutive openings (OPEN, HALF_OPEN whose trials fail, OPEN again) are numbered from 1 in the states
 * themselves, so that each waits {@code min(wait * multiplier^(n-1), max)}; CLOSED starts again from 1.
 */
public final class CircuitBreakerImpl extends PolicySupport implements CircuitBreaker {

    // What tryAcquire decides. Any other value is a rejection carrying the remaining open-state wait in nanoseconds
    // (REJECT: unknown), so that rejecting reads the clock at most once.
    private static final long PERMIT = Long.MIN_VALUE;
    private static final long RETRY = Long.MIN_VALUE + 1;
    private static final long REJECT = -1L;
    /** In place of a duration: the breaker times the call itself. */
    private static final long MEASURE = -1L;
    /** In place of an open-state wait: the configured one for the opening. */
    private static final long CONFIGURED_WAIT = -1L;
    private static final System.Logger LOG = System.getLogger(CircuitBreakerImpl.class.getName());

    private final String name;
    private final CircuitBreakerConfig config;
    private final Clock clock;
    private final EventPublisher<CircuitBreakerEvent> publisher = new EventPublisher<>();
    private final AtomicReference<BreakerState> state;
    /**
     * Transitions made but not yet published, plus one while a thread is publishing: the thread that raises it from
     * zero publishes, in order, every transition it finds, until it brings it back to zero (see
     * {@link #publishTransitions()}).
     */
    private final AtomicInteger transitionsToPublish = new AtomicInteger();
    /** The latest state whose entry has been published; only the publishing thread reads or writes it. */
    private BreakerState lastPublished;
    private final LongAdder notPermitted = new LongAdder();
    // Running totals for metrics registries: striped counters, so recording costs no contention and no allocation.
    private final LongAdder successfulTotal = new LongAdder();
    /** Deferred successes (see {@link Closed#deferSuccess}) counted once they are accounted for, never before. */
    private final LongAdder deferredSuccessTotal = new LongAdder();
    private final LongAdder failedTotal = new LongAdder();
    private final LongAdder ignoredTotal = new LongAdder();
    // Time spent in recorded calls, kept only when the breaker times calls anyway (slow-call detection on), measured
    // with the same time as slow calls (coarse, for a coarse-timed threshold).
    private final LongAdder successfulNanos = new LongAdder();
    private final LongAdder failedNanos = new LongAdder();
    private final ExceptionClassifier classifier;
    /** The Error classes that {@code recordExceptions} names: only an Error of one of these can count as a failure. */
    private final Class<?>[] recordedErrors;
    private final Predicate<Object> resultPredicate;
    private final boolean timeBased;
    private final long slowNanos;
    /** Whether calls are timed with the coarse time (see the class comment). */
    private final boolean coarseTiming;
    private final long openNanos;
    private final double openMultiplier;
    /** The longest open-state wait: the configured maximum, or "for ever". */
    private final long maxOpenNanos;
    private final long maxHalfOpenNanos;
    private final int closedMinimumCalls;
    private final int halfOpenCalls;
    private final float failureThreshold;
    private final float slowThreshold;

    /**
     * @param name instance name
     * @param config configuration
     * @param clock time source
     */
    public CircuitBreakerImpl(String name, CircuitBreakerConfig config, Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.classifier = new ExceptionClassifier(config.recordExceptions(), config.ignoreExceptions(),
                config.recordException().orElse(null), config.ignoreException().orElse(null));
        this.recordedErrors = config.recordExceptions().stream().filter(Error.class::isAssignableFrom)
                .toArray(Class<?>[]::new);
        this.resultPredicate = config.recordResult().orElse(null);
        this.timeBased = config.slidingWindowType() == CircuitBreakerConfig.SlidingWindowType.TIME_BASED;
        // Saturated: a duration too long for a long of nanoseconds (about 292 years) is "practically forever".
        this.slowNanos = Durations.saturatedNanos(config.slowCallDurationThreshold());
        long resolution = clock.coarseResolutionNanos();
        this.coarseTiming = slowNanos > 0 && resolution >= 0 && resolution <= slowNanos / 100;
        this.openNanos = Durations.saturatedNanos(config.waitDurationInOpenState());
        this.openMultiplier = config.waitDurationInOpenStateMultiplier();
        this.maxOpenNanos = config.maxWaitDurationInOpenState().map(Durations::saturatedNanos).orElse(Long.MAX_VALUE);
        this.maxHalfOpenNanos = Durations.saturatedNanos(config.maxWaitDurationInHalfOpenState());
        this.closedMinimumCalls = timeBased ? config.minimumNumberOfCalls()
                : Math.min(config.minimumNumberOfCalls(), config.slidingWindowSize());
        this.halfOpenCalls = config.permittedNumberOfCallsInHalfOpenState();
        this.failureThreshold = config.failureRateThreshold();
        this.slowThreshold = config.slowCallRateThreshold();
        BreakerState initial = new Closed();
        this.state = new AtomicReference<>(initial);
        this.lastPublished = initial;
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
        return config;
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
        return state.get().metrics(notPermitted.sum());
    }

    // ---------------------------------------------------------------- decoration

    @Override
    public Invoker decorate(Invoker next) {
        Objects.requireNonNull(next, "next");
        return (call, runner) -> {
            BreakerState admitted = admit();
            long start = slowNanos > 0 ? callTime() : 0L;
            Object result;
            try {
                result = next.invoke(call, runner);
            } catch (Throwable t) {
                onError(admitted, start, MEASURE, t);
                throw t;
            }
            onResult(admitted, start, result);
            return result;
        };
    }

    @Override
    public AsyncInvoker decorateAsync(AsyncInvoker next) {
        Objects.requireNonNull(next, "next");
        return call -> {
            BreakerState admitted;
            try {
                admitted = admit();
            } catch (CallNotPermittedException e) {
                return CompletableFuture.failedFuture(e);
            }
            long start = slowNanos > 0 ? callTime() : 0L;
            CompletionStage<?> stage;
            try {
                stage = next.invoke(call);
                if (stage == null) {
                    throw new NullPointerException("the asynchronous call returned null instead of a CompletionStage");
                }
            } catch (Throwable t) {
                onError(admitted, start, MEASURE, t);
                return CompletableFuture.failedFuture(t);
            }
            stage.whenComplete((result, error) -> {
                if (error == null) {
                    onResult(admitted, start, result);
                } else {
                    Throwable cause = Throwables.unwrap(error);
                    if (cause instanceof CancellationException) {
                        onIgnored(admitted, cause);
                    } else {
                        onError(admitted, start, MEASURE, cause);
                    }
                }
            });
            return stage;
        };
    }

    /** The time that times calls: coarse or exact (see the class comment). */
    private long callTime() {
        return coarseTiming ? clock.coarseNanoTime() : clock.nanoTime();
    }

    /** @return the state that admitted the call @throws CallNotPermittedException if rejected (counted, published) */
    private BreakerState admit() {
        while (true) {
            BreakerState current = state.get();
            long decision = current.tryAcquire();
            if (decision == PERMIT) {
                return current;
            }
            if (decision != RETRY) {
                CallNotPermittedException rejection = new CallNotPermittedException(name, current.state(), decision);
                rejected(current);
                throw rejection;
            }
        }
    }

    private void rejected(BreakerState current) {
        notPermitted.increment();
        if (publisher.hasListeners()) {
            publish(CircuitBreakerEvent.Type.NOT_PERMITTED, Map.of("state", current.state().name()));
        }
    }

    @Override
    public Permit tryAcquire() {
        while (true) {
            BreakerState current = state.get();
            long decision = current.tryAcquire();
            if (decision == PERMIT) {
                return new Token(this, current, slowNanos > 0 ? callTime() : 0L);
            }
            if (decision != RETRY) {
                rejected(current);
                return null;
            }
        }
    }

    /**
     * A permit of {@link #tryAcquire()}: the admitting state and start time that a wrapped call keeps on its stack,
     * plus a flag that lets exactly one finish through (a CAS, so concurrent finishes settle it once).
     */
    private static final class Token implements Permit {

        private static final VarHandle FINISHED;

        static {
            try {
                FINISHED = MethodHandles.lookup().findVarHandle(Token.class, "finished", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final CircuitBreakerImpl breaker;
        private final BreakerState admitted;
        private final long start;
        @SuppressWarnings("unused") // through FINISHED
        private volatile boolean finished;

        Token(CircuitBreakerImpl breaker, BreakerState admitted, long start) {
            this.breaker = breaker;
            this.admitted = admitted;
            this.start = start;
        }

        private boolean finish() {
            return FINISHED.compareAndSet(this, false, true);
        }

        private static long nanos(Duration duration) {
            if (duration == null || duration.isNegative()) {
                throw new IllegalArgumentException("duration must be zero or positive, but was " + duration);
            }
            return Durations.saturatedNanos(duration);
        }

        private static Throwable checked(Throwable error) {
            if (error == null) {
                throw new IllegalArgumentException("error must not be null");
            }
            return error;
        }

        @Override
        public boolean onSuccess() {
            if (!finish()) {
                return false;
            }
            breaker.onSuccess(admitted, start, MEASURE);
            return true;
        }

        @Override
        public boolean onSuccess(Duration duration) {
            long took = nanos(duration);
            if (!finish()) {
                return false;
            }
            breaker.onSuccess(admitted, start, took);
            return true;
        }

        @Override
        public boolean onError(Throwable error) {
            checked(error);
            if (!finish()) {
                return false;
            }
            breaker.onError(admitted, start, MEASURE, error);
            return true;
        }

        @Override
        public boolean onError(Throwable error, Duration duration) {
            checked(error);
            long took = nanos(duration);
            if (!finish()) {
                return false;
            }
            breaker.onError(admitted, start, took, error);
            return true;
        }

        @Override
        public boolean onIgnore() {
            if (!finish()) {
                return false;
            }
            breaker.onIgnored(admitted, null);
            return true;
        }

        @Override
        public String toString() {
            return "Permit of " + breaker + (finished ? ", finished" : ", unfinished");
        }
    }

    private void onResult(BreakerState admitted, long start, Object result) {
        boolean failed;
        try {
            failed = resultPredicate != null && resultPredicate.test(result);
        } catch (Throwable predicateFailure) {
            onResultPredicateFailure(admitted, start, result, predicateFailure);
            return;
        }
        // The outcome's event goes out before recording it, so it precedes any transition the outcome causes.
        if (failed) {
            if (publisher.hasListeners() && admitted.recording()) {
                publish(CircuitBreakerEvent.Type.ERROR, Map.of("result", String.valueOf(result)));
            }
            record(admitted, start, MEASURE, Outcome.FAILED);
        } else {
            onSuccess(admitted, start, MEASURE);
        }
    }

    private void onSuccess(BreakerState admitted, long start, long tookNanos) {
        if (publisher.hasListeners() && admitted.recording()) {
            publish(CircuitBreakerEvent.Type.SUCCESS, Map.of());
        }
        record(admitted, start, tookNanos, Outcome.SUCCESS);
    }

    /**
     * A result predicate that throws cannot say whether the result is a failure; the call still has to settle its
     * permit, so it counts as failed (the cautious answer), while the caller keeps the result the call did produce,
     * the same synchronously and asynchronously. The predicate's exception has no exception of the call's to ride
     * on, so it is logged and named in the ERROR event.
     */
    private void onResultPredicateFailure(BreakerState admitted, long start, Object result, Throwable predicateFailure) {
        LOG.log(System.Logger.Level.WARNING, "CircuitBreaker '" + name + "': the recordResult predicate threw; the call"
                + " is recorded as a failure and its result returned to the caller", predicateFailure);
        if (publisher.hasListeners() && admitted.recording()) {
            Map<String, Object> details = new LinkedHashMap<>(4);
            details.put("result", String.valueOf(result));
            details.put("predicateError", predicateFailure.getClass().getName());
            publish(CircuitBreakerEvent.Type.ERROR, details);
        }
        record(admitted, start, MEASURE, Outcome.FAILED);
    }

    /** @param tookNanos the call's duration as its caller measured it, or {@link #MEASURE}: time it from {@code start} */
    private void onError(BreakerState admitted, long start, long tookNanos, Throwable error) {
        int outcome;
        Throwable predicateFailure = null;
        try {
            outcome = classify(error);
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
            record(admitted, start, tookNanos, Outcome.FAILED);
        } else if (outcome == SUCCESS) {
            onSuccess(admitted, start, tookNanos);
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
    private int classify(Throwable error) {
        if (error instanceof Error && !namedError(error)) {
            return IGNORED;
        }
        if (classifier.ignores(error)) {
            return IGNORED;
        }
        return classifier.records(error) ? FAILURE : SUCCESS;
    }

    private boolean namedError(Throwable error) {
        for (Class<?> named : recordedErrors) {
            if (named.isInstance(error)) {
                return true;
            }
        }
        return false;
    }

    private void onIgnored(BreakerState admitted, Throwable error) {
        if (admitted.recording()) {
            ignoredTotal.increment();
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
    private void record(BreakerState admitted, long start, long tookNanos, int failed) {
        if (!admitted.recording()) {
            return;
        }
        boolean failure = failed == Outcome.FAILED;
        int category = failed;
        long now = 0L;
        if (slowNanos > 0) {
            long took;
            if (tookNanos == MEASURE) {
                now = callTime();
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
                (failure ? failedNanos : successfulNanos).add(took);
            }
        } else if (admitted.needsTime()) {
            now = clock.coarseNanoTime(); // only to pick a per-second bucket
        }
        if (category == Outcome.SUCCESS && admitted.deferSuccess(now)) {
            return;
        }
        (failure ? failedTotal : successfulTotal).increment();
        admitted.record(category, now);
    }

    // ---------------------------------------------------------------- transitions

    /** Transition details in reading order ({@code from}, then {@code to}), the same in every run. */
    private static Map<String, Object> transition(State from, State to) {
        Map<String, Object> details = new LinkedHashMap<>(4);
        details.put("from", from.name());
        details.put("to", to.name());
        return details;
    }

    private boolean transition(BreakerState from, BreakerState to) {
        if (!state.compareAndSet(from, to)) {
            return false;
        }
        from.exit();
        to.enter();
        from.next = to;
        publishTransitions();
        return true;
    }

    /** Opens from {@code from} because a rate was exceeded; the transition also reports the exceeded rate(s). */
    private void openOnRates(BreakerState from, float failureRate, float slowRate) {
        transition(from, new Open(from, failureRate, slowRate, CONFIGURED_WAIT));
    }

    /**
     * @param from the state being left for OPEN
     * @return the number of the opening that leaving {@code from} makes: one more than the opening a HALF_OPEN state
     *     followed, the same for OPEN (re-opened by {@link #transitionToOpenStateFor}), else 1 (a new row)
     */
    private static int nextOpening(BreakerState from) {
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
        if (opening <= 1 || openMultiplier == 1.0) {
            return openNanos; // exact, also for waits beyond the 53 bits a double holds
        }
        double grown = openNanos * Math.pow(openMultiplier, opening - 1);
        if (!(grown < maxOpenNanos)) {
            return maxOpenNanos;
        }
        return Math.max(openNanos, (long) grown);
    }

    /**
     * Publishes the transitions made so far, each exactly once and in the order they were made, one at a time.
     * Two threads making transitions one right after the other would otherwise race to their listeners (a later
     * OPEN-&gt;FORCED_OPEN reported before the CLOSED-&gt;OPEN it followed). Every state links the state that
     * replaced it, so the states form a list in transition order; the one thread that finds
     * {@link #transitionsToPublish} at zero walks it from {@link #lastPublished}, including whatever other threads
     * link meanwhile (they only count themselves in and leave), and stops when the count shows that nobody linked
     * anything it has not seen. So a transition's events may be delivered by the thread of a later transition, and a
     * listener that transitions the breaker has its transition published after it returns, never nested. Lock-free:
     * no thread waits for a listener run by another.
     */
    private void publishTransitions() {
        if (transitionsToPublish.getAndIncrement() != 0) {
            return; // the thread publishing will find this transition linked
        }
        Throwable listenerFailure = null;
        int claimed = 1;
        do {
            BreakerState from = lastPublished;
            BreakerState to;
            while ((to = from.next) != null) {
                if (publisher.hasListeners()) {
                    try {
                        publishEntry(from, to);
                    } catch (Throwable t) { // an Error from a listener: the publisher has logged any other failure
                        if (listenerFailure == null) {
                            listenerFailure = t;
                        }
                    }
                }
                from = to;
            }
            lastPublished = from;
            claimed = transitionsToPublish.addAndGet(-claimed);
        } while (claimed != 0);
        if (listenerFailure != null) {
            throw Throwables.<RuntimeException>sneakyThrow(listenerFailure);
        }
    }

    private void publishEntry(BreakerState from, BreakerState to) {
        if (to.enteredByReset) {
            if (from.state() != State.CLOSED) {
                publish(CircuitBreakerEvent.Type.STATE_TRANSITION, transition(from.state(), State.CLOSED));
            }
            publish(CircuitBreakerEvent.Type.RESET, Map.of());
            return;
        }
        if (to instanceof Open open) {
            if (open.failureRate >= failureThreshold) {
                publish(CircuitBreakerEvent.Type.FAILURE_RATE_EXCEEDED, Map.of("failureRate", open.failureRate));
            }
            if (open.slowRate >= slowThreshold) {
                publish(CircuitBreakerEvent.Type.SLOW_CALL_RATE_EXCEEDED, Map.of("slowCallRate", open.slowRate));
            }
        }
        publish(CircuitBreakerEvent.Type.STATE_TRANSITION, transition(from.state(), to.state()));
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
            if (transition(current, new Open(current, -1f, -1f, waitNanos))) {
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
                    next = new Closed();
                    break;
                case OPEN:
                    next = new Open(current, -1f, -1f, CONFIGURED_WAIT);
                    break;
                case HALF_OPEN:
                    next = new HalfOpen(current.opening());
                    break;
                case FORCED_OPEN:
                    next = new Fixed(State.FORCED_OPEN);
                    break;
                default:
                    next = new Fixed(State.DISABLED);
                    break;
            }
            if (transition(current, next)) {
                return;
            }
        }
    }

    @Override
    public void reset() {
        Closed fresh = new Closed();
        fresh.enteredByReset = true;
        BreakerState previous = state.getAndSet(fresh);
        notPermitted.reset();
        previous.exit();
        previous.next = fresh;
        publishTransitions();
    }

    private void publish(CircuitBreakerEvent.Type type, Map<String, Object> details) {
        publisher.publish(new CircuitBreakerEvent(name, type, clock.currentTimeMillis(), details));
    }

    @Override
    public String toString() {
        return "CircuitBreaker '" + name + "' " + state();
    }

    /**
     * A racing transition may leave a state between its CAS and its {@code enter()}; its {@code exit()} then found no
     * timer to cancel. The timer is stored before the state is read here, and read after the state changed there,
     * so one of the two cancels it.
     */
    private void cancelTimerIfLeft(BreakerState entered, Scheduled timer) {
        if (state.get() != entered) {
            timer.cancel();
        }
    }

    // ---------------------------------------------------------------- rates

    static float rate(long part, long buffered, int minimumCalls) {
        if (buffered == 0 || buffered < minimumCalls) {
            return -1f;
        }
        return part * 100f / buffered;
    }

    private CircuitBreakerMetrics metricsOf(State s, long[] c, int minimumCalls, long notPermittedCalls) {
        long buffered = c[0] + c[1] + c[2] + c[3];
        long failed = c[Outcome.FAILURE] + c[Outcome.SLOW_FAILURE];
        long slow = c[Outcome.SLOW_SUCCESS] + c[Outcome.SLOW_FAILURE];
        return new CircuitBreakerMetrics(s, rate(failed, buffered, minimumCalls), rate(slow, buffered, minimumCalls),
                buffered, failed, slow, c[Outcome.SLOW_FAILURE], c[Outcome.SUCCESS] + c[Outcome.SLOW_SUCCESS], notPermittedCalls,
                successfulTotal.sum() + deferredSuccessTotal.sum(), failedTotal.sum(), ignoredTotal.sum(),
                slowNanos > 0 ? successfulNanos.sum() : -1, slowNanos > 0 ? failedNanos.sum() : -1);
    }

    private static long[] countsOf(long aggregate) {
        return new long[] {CountWindow.count(aggregate, 0), CountWindow.count(aggregate, 1),
                CountWindow.count(aggregate, 2), CountWindow.count(aggregate, 3)};
    }

    // ---------------------------------------------------------------- states

    private abstract class BreakerState {

        /** The state that replaced this one, linked once by the thread that replaced it (for publishing in order). */
        volatile BreakerState next;
        /** Whether {@link #reset()} entered this state; written before it is linked. */
        boolean enteredByReset;

        abstract State state();

        /**
         * @return PERMIT, RETRY (the state changed: read it again), or a rejection: the remaining open-state wait in
         *     nanoseconds, or REJECT when unknown
         */
        abstract long tryAcquire();

        /** @return whether outcomes of calls admitted by this state are recorded at all */
        boolean recording() {
            return true;
        }

        /**
         * Counts a fast success without entering it into the window yet, where that cannot change a decision.
         *
         * @param nowNanos the time read for the outcome (0 where none is needed)
         * @return whether the success was counted; {@code false}: record it as usual
         */
        boolean deferSuccess(long nowNanos) {
            return false;
        }

        /** @return whether recording needs the current time even without slow-call detection */
        boolean needsTime() {
            return false;
        }

        void record(int category, long nowNanos) {
        }

        /** Gives back the permit of a call whose outcome is ignored. */
        void release() {
        }

        void enter() {
        }

        void exit() {
        }

        /** @return the counts to show while OPEN after leaving this state */
        long[] frozenCounts() {
            return new long[4];
        }

        int minimumCalls() {
            return closedMinimumCalls;
        }

        /**
         * @return the number, from 1, of the opening in the current row of openings (see {@link #nextOpening}) that
         *     this state is (OPEN) or follows (HALF_OPEN); 0 for the others, which start no row
         */
        int opening() {
            return 0;
        }

        abstract CircuitBreakerMetrics metrics(long notPermittedCalls);
    }

    /**
     * Fast successes waiting to enter a CLOSED window: a striped count, and how much of it has been taken into the
     * window (and the running total) so far. For a time window, they all belong to one second.
     */
    private static final class Deferred {

        final long second;
        final LongAdder count = new LongAdder();
        final AtomicLong taken = new AtomicLong();

        Deferred(long second) {
            this.second = second;
        }

        /** @return the successes counted since the last take, now taken by the caller alone */
        long take() {
            long total = count.sum();
            long done;
            while ((done = taken.get()) < total) {
                if (taken.compareAndSet(done, total)) {
                    return total - done;
                }
            }
            return 0L;
        }
    }

    private final class Closed extends BreakerState {

        private final CountWindow countWindow;
        private final TimeWindow timeWindow;
        /**
         * Fast successes not yet in the window: a striped counter, so that two threads recording successes write
         * different cache lines instead of taking turns on the window. A time window gets a new one for each second.
         */
        private final AtomicReference<Deferred> deferred;

        Closed() {
            if (timeBased) {
                countWindow = null;
                timeWindow = new TimeWindow(config.slidingWindowSize(), clock.nanoTime());
                deferred = new AtomicReference<>(new Deferred(timeWindow.latestSecond()));
            } else {
                countWindow = new CountWindow(config.slidingWindowSize());
                timeWindow = null;
                deferred = new AtomicReference<>(new Deferred(0L));
            }
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
            return timeBased;
        }

        @Override
        void record(int category, long nowNanos) {
            flushDeferred(deferred.get());
            if (countWindow != null) {
                evaluate(countWindow.record(category));
                return;
            }
            timeWindow.record(category, nowNanos);
            Deferred current = deferred.get();
            if (current.second < timeWindow.latestSecond()
                    && deferred.compareAndSet(current, new Deferred(timeWindow.latestSecond()))) {
                flushDeferred(current); // successes a racing call added to the second just left
            }
            evaluateTimeWindow();
        }

        /**
         * A fast success that cannot open the breaker waits in {@link #deferred}, so that concurrent successes write no
         * shared cache line; for a time window only while its second is the window's latest (the first success of a
         * new second takes the usual path, which moves the window on). It is added to the window and the running
         * total by the next flush: any other outcome, a metrics read, the state's exit or the start of a new second.
         * The counter is raised before the state and the current {@link Deferred} are read again, and whoever
         * retires either reads the counter after retiring it, so at least one of them sees the success, and
         * {@link Deferred#take()} makes sure that only one counts it.
         */
        @Override
        boolean deferSuccess(long nowNanos) {
            Deferred d = deferred.get();
            if (countWindow != null) {
                if (!mayDefer(countWindow.snapshot())) {
                    return false;
                }
            } else if (timeWindow.secondOf(nowNanos) != d.second || !mayDeferInTimeWindow()) {
                return false;
            }
            d.count.increment();
            if (state.get() != this || deferred.get() != d) {
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
        private boolean mayDefer(long aggregate) {
            return (aggregate & ~CountWindow.FIELD_MASK) == 0 || CountWindow.buffered(aggregate) >= closedMinimumCalls;
        }

        private boolean mayDeferInTimeWindow() {
            return timeWindow.onlyFastSuccessesOrAtLeast(closedMinimumCalls);
        }

        /**
         * Moves the successes of {@code d} not yet taken into the running total and, while this state is current,
         * into the window, all at once: into a count window as one batch (more than its size of them leave the same
         * window as exactly its size), or into their second of a time window. Either is evaluated at the first count
         * that reaches the minimum, where the failure rate is highest; recording them one by one, each evaluated,
         * could open the breaker there and nowhere else.
         */
        private void flushDeferred(Deferred d) {
            long successes = d.take();
            if (successes == 0) {
                return;
            }
            deferredSuccessTotal.add(successes);
            if (state.get() != this) {
                return; // the window was left behind with the state
            }
            if (countWindow != null) {
                evaluate(countWindow.recordSuccesses((int) Math.min(successes, countWindow.size()), closedMinimumCalls));
                return;
            }
            float failureRate = timeWindow.failureRate(successes, closedMinimumCalls);
            float slowRate = slowNanos > 0 ? timeWindow.slowCallRate(successes, closedMinimumCalls) : -1f;
            if (timeWindow.addSuccesses(d.second, successes)) {
                evaluate(failureRate, slowRate);
            }
        }

        /** Reads each rate in the order that can make it too low but never too high (see {@link TimeWindow}). */
        private void evaluateTimeWindow() {
            evaluate(timeWindow.failureRate(0, closedMinimumCalls),
                    slowNanos > 0 ? timeWindow.slowCallRate(0, closedMinimumCalls) : -1f);
        }

        private void evaluate(long aggregate) {
            evaluate(CountWindow.buffered(aggregate), CountWindow.failed(aggregate), CountWindow.slow(aggregate));
        }

        private void evaluate(long buffered, long failed, long slow) {
            if (buffered < closedMinimumCalls || buffered == 0) {
                return;
            }
            evaluate(failed * 100f / buffered, slow * 100f / buffered);
        }

        /** @param failureRate percent, or -1 (under the minimum) @param slowRate percent, or -1 */
        private void evaluate(float failureRate, float slowRate) {
            if (failureRate >= failureThreshold || slowRate >= slowThreshold) {
                openOnRates(this, failureRate, slowRate);
            }
        }

        @Override
        long[] frozenCounts() {
            flushDeferred(deferred.get());
            if (countWindow != null) {
                return countsOf(countWindow.snapshot());
            }
            timeWindow.advance(clock.nanoTime());
            return timeWindow.counts();
        }

        @Override
        CircuitBreakerMetrics metrics(long notPermittedCalls) {
            return metricsOf(State.CLOSED, frozenCounts(), closedMinimumCalls, notPermittedCalls);
        }
    }

    private final class Open extends BreakerState {

        private final long openedAt = clock.nanoTime();
        private final long[] counts;
        private final int minimumCalls;
        /** The rates that opened the breaker, or -1 when something else did. */
        final float failureRate;
        final float slowRate;
        private final int opening;
        /** How long this opening lasts, in nanoseconds; {@link Long#MAX_VALUE}: for ever. */
        private final long waitNanos;
        private volatile Scheduled timer;

        /**
         * @param from the state being left, whose window is shown while OPEN and whose opening number this continues
         * @param waitNanos how long to stay OPEN, or {@link #CONFIGURED_WAIT} for this opening's configured wait
         */
        Open(BreakerState from, float failureRate, float slowRate, long waitNanos) {
            this.counts = from.frozenCounts();
            this.minimumCalls = from.minimumCalls();
            this.failureRate = failureRate;
            this.slowRate = slowRate;
            this.opening = nextOpening(from);
            this.waitNanos = waitNanos == CONFIGURED_WAIT ? openWaitNanos(opening) : waitNanos;
        }

        @Override
        int opening() {
            return opening;
        }

        @Override
        State state() {
            return State.OPEN;
        }

        @Override
        long tryAcquire() {
            long elapsed = clock.nanoTime() - openedAt;
            if (elapsed >= waitNanos) {
                transition(this, new HalfOpen(opening));
                return RETRY;
            }
            return waitNanos - elapsed;
        }

        @Override
        void enter() {
            // A saturated wait ends never: a timer for it could only wait (or, on a clock adding it, overflow).
            if (config.automaticTransitionFromOpenToHalfOpenEnabled() && waitNanos != Long.MAX_VALUE) {
                timer = clock.schedule(() -> {
                    if (state.get() == this) {
                        transition(this, new HalfOpen(opening));
                    }
                }, waitNanos);
                cancelTimerIfLeft(this, timer);
            }
        }

        @Override
        void exit() {
            Scheduled t = timer;
            if (t != null) {
                t.cancel();
            }
        }

        @Override
        long[] frozenCounts() {
            return counts.clone();
        }

        @Override
        int minimumCalls() {
            return minimumCalls;
        }

        @Override
        CircuitBreakerMetrics metrics(long notPermittedCalls) {
            return metricsOf(State.OPEN, counts, minimumCalls, notPermittedCalls);
        }
    }

    private final class HalfOpen extends BreakerState {

        private final long enteredAt = clock.nanoTime();
        private final AtomicInteger permits = new AtomicInteger(halfOpenCalls);
        private final CountWindow window = new CountWindow(halfOpenCalls);
        /** The opening this trial follows (0: none), so that failing it opens for longer. */
        private final int opening;
        private volatile Scheduled timer;

        HalfOpen(int opening) {
            this.opening = opening;
        }

        @Override
        int opening() {
            return opening;
        }

        @Override
        State state() {
            return State.HALF_OPEN;
        }

        @Override
        long tryAcquire() {
            if (maxHalfOpenNanos > 0 && clock.nanoTime() - enteredAt >= maxHalfOpenNanos) {
                transition(this, new Open(this, -1f, -1f, CONFIGURED_WAIT));
                return RETRY;
            }
            int available;
            while ((available = permits.get()) > 0) {
                if (permits.compareAndSet(available, available - 1)) {
                    return PERMIT;
                }
            }
            return REJECT;
        }

        @Override
        void release() {
            permits.incrementAndGet();
        }

        @Override
        void record(int category, long nowNanos) {
            long aggregate = window.record(category);
            int buffered = CountWindow.buffered(aggregate);
            if (buffered < halfOpenCalls) {
                return;
            }
            float failureRate = CountWindow.failed(aggregate) * 100f / buffered;
            float slowRate = CountWindow.slow(aggregate) * 100f / buffered;
            if (failureRate >= failureThreshold || slowRate >= slowThreshold) {
                openOnRates(this, failureRate, slowRate);
            } else {
                transition(this, new Closed());
            }
        }

        @Override
        void enter() {
            if (maxHalfOpenNanos > 0 && maxHalfOpenNanos != Long.MAX_VALUE) {
                timer = clock.schedule(() -> {
                    if (state.get() == this) {
                        transition(this, new Open(this, -1f, -1f, CONFIGURED_WAIT));
                    }
                }, maxHalfOpenNanos);
                cancelTimerIfLeft(this, timer);
            }
        }

        @Override
        void exit() {
            Scheduled t = timer;
            if (t != null) {
                t.cancel();
            }
        }

        @Override
        long[] frozenCounts() {
            return countsOf(window.snapshot());
        }

        @Override
        int minimumCalls() {
            return halfOpenCalls;
        }

        @Override
        CircuitBreakerMetrics metrics(long notPermittedCalls) {
            return metricsOf(State.HALF_OPEN, frozenCounts(), halfOpenCalls, notPermittedCalls);
        }
    }

    /** FORCED_OPEN (rejects everything) or DISABLED (admits everything, records nothing). */
    private final class Fixed extends BreakerState {

        private final State fixed;

        Fixed(State fixed) {
            this.fixed = fixed;
        }

        @Override
        State state() {
            return fixed;
        }

        @Override
        long tryAcquire() {
            return fixed == State.DISABLED ? PERMIT : REJECT;
        }

        @Override
        boolean recording() {
            return false;
        }

        @Override
        CircuitBreakerMetrics metrics(long notPermittedCalls) {
            return metricsOf(fixed, new long[4], 1, notPermittedCalls);
        }
    }
}

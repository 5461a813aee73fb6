package dev.resilience.circuitbreaker;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.internal.ExceptionClassifier;
import dev.resilience.core.internal.Validate;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The immutable, validated configuration of a {@link CircuitBreaker}. Build one with {@link #builder()};
 * every builder method validates its value at once and throws {@link InvalidConfigException} naming the
 * setting, the value and the allowed range. Nothing is clamped.
 *
 * <p><b>Which outcomes count.</b> A call that returns is a success, unless {@link #recordResult()} accepts its value.
 * A call that throws is ignored if {@link #ignoreExceptions()} or {@link #ignoreException()} match (these win over
 * everything; an ignored exception counts neither way, and in HALF_OPEN its trial is given back); otherwise it is a
 * failure if {@link #recordExceptions()} or {@link #recordException()} records it (either one is enough; with neither
 * set, every exception is recorded), and otherwise a <em>success</em>: the dependency answered, with an exception
 * the configuration does not call a failure (a {@code NotFoundException}, say). This is Resilience4j's model, so a
 * configuration moved from it keeps its failure rates. A {@link java.lang.Error} (a JVM or linkage problem such as
 * {@code StackOverflowError} or {@code OutOfMemoryError}, not an answer of the protected dependency) is ignored,
 * unless {@link #recordExceptions()} names its class or a superclass of it that is itself an Error
 * ({@code recordExceptions(StackOverflowError.class)}, {@code recordExceptions(VirtualMachineError.class)});
 * {@code recordExceptions(Throwable.class)} does not name Errors. Either way the caller gets the Error unchanged.
 * {@link #records(Throwable)} and {@link #ignores(Throwable)} answer these rules for one exception, exactly as the
 * breaker applies them.
 *
 * <p><b>Coming from Resilience4j</b> (see {@code MIGRATION.md}): the default slow-call rate threshold is 50 %, not
 * 100 %; a zero slow-call duration threshold turns slow-call detection off; a minimum number of calls above a
 * COUNT_BASED window's size is kept as set and applies as the window's size; rejections carry no stack trace.
 */
public final class CircuitBreakerConfig {

    /** Largest COUNT_BASED window, in calls (the window packs its counters into 16-bit fields). */
    public static final int MAX_COUNT_WINDOW_SIZE = 65_535;
    /** Largest TIME_BASED window, in seconds (one hour). */
    public static final int MAX_TIME_WINDOW_SECONDS = 3_600;
    /** Largest number of trial calls in HALF_OPEN. */
    public static final int MAX_HALF_OPEN_CALLS = 65_535;

    private static final CircuitBreakerConfig DEFAULTS = new Builder().build();

    private final SlidingWindowType slidingWindowType;
    private final int slidingWindowSize;
    private final int minimumNumberOfCalls;
    private final float failureRateThreshold;
    private final float slowCallRateThreshold;
    private final Duration slowCallDurationThreshold;
    private final Duration waitDurationInOpenState;
    private final double waitDurationInOpenStateMultiplier;
    private final Duration maxWaitDurationInOpenState;
    private final int permittedNumberOfCallsInHalfOpenState;
    private final Duration maxWaitDurationInHalfOpenState;
    private final boolean automaticTransitionFromOpenToHalfOpenEnabled;
    private final List<Class<? extends Throwable>> recordExceptions;
    private final List<Class<? extends Throwable>> ignoreExceptions;
    private final Predicate<Throwable> recordException;
    private final Predicate<Throwable> ignoreException;
    private final Predicate<Object> recordResult;
    private final ExceptionClassifier classifier;

    private CircuitBreakerConfig(Builder b) {
        this.slidingWindowType = b.slidingWindowType;
        this.slidingWindowSize = b.slidingWindowSize;
        this.minimumNumberOfCalls = b.minimumNumberOfCalls;
        this.failureRateThreshold = b.failureRateThreshold;
        this.slowCallRateThreshold = b.slowCallRateThreshold;
        this.slowCallDurationThreshold = b.slowCallDurationThreshold;
        this.waitDurationInOpenState = b.waitDurationInOpenState;
        this.waitDurationInOpenStateMultiplier = b.waitDurationInOpenStateMultiplier;
        this.maxWaitDurationInOpenState = b.maxWaitDurationInOpenState;
        this.permittedNumberOfCallsInHalfOpenState = b.permittedNumberOfCallsInHalfOpenState;
        this.maxWaitDurationInHalfOpenState = b.maxWaitDurationInHalfOpenState;
        this.automaticTransitionFromOpenToHalfOpenEnabled = b.automaticTransitionFromOpenToHalfOpenEnabled;
        this.recordExceptions = b.recordExceptions;
        this.ignoreExceptions = b.ignoreExceptions;
        this.recordException = b.recordException;
        this.ignoreException = b.ignoreException;
        this.recordResult = b.recordResult;
        this.classifier = ExceptionClassifier.ignoringUnnamedErrors(recordExceptions, ignoreExceptions, recordException,
                ignoreException);
    }

    /** @return the default configuration (see each setting for its default) */
    public static CircuitBreakerConfig defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from this configuration */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return how the window is measured; default COUNT_BASED */
    public SlidingWindowType slidingWindowType() {
        return slidingWindowType;
    }

    /** @return the window size: calls for COUNT_BASED, seconds for TIME_BASED; default 100 */
    public int slidingWindowSize() {
        return slidingWindowSize;
    }

    /**
     * @return calls the window must hold before rates are computed, as set; default 100. For a COUNT_BASED window the
     *     effective minimum is {@code min(minimumNumberOfCalls, slidingWindowSize)}, as the window can never hold more
     *     (Resilience4j returns that minimum here; this returns what was set, so that {@code toBuilder()} and a
     *     later window size keep it)
     */
    public int minimumNumberOfCalls() {
        return minimumNumberOfCalls;
    }

    /** @return failure rate, in percent, at or above which the breaker opens; default 50 */
    public float failureRateThreshold() {
        return failureRateThreshold;
    }

    /** @return slow-call rate, in percent, at or above which the breaker opens; default 50 (Resilience4j: 100) */
    public float slowCallRateThreshold() {
        return slowCallRateThreshold;
    }

    /**
     * @return how long a call must take (strictly longer) to count as slow; {@link Duration#ZERO} = slow-call detection
     *     off; default 60 s. How precisely calls are timed: see {@link Builder#slowCallDurationThreshold(Duration)}.
     */
    public Duration slowCallDurationThreshold() {
        return slowCallDurationThreshold;
    }

    /**
     * @return how long the breaker stays OPEN before admitting trial calls, the first time it opens after being
     *     CLOSED; default 60 s. Later openings may wait longer: see {@link #waitDurationInOpenStateMultiplier()}.
     */
    public Duration waitDurationInOpenState() {
        return waitDurationInOpenState;
    }

    /**
     * @return how much longer each opening waits than the one before, as long as the breaker has not been CLOSED in
     *     between (its half-open trials keep failing): the {@code k}-th opening in a row waits
     *     {@code min(waitDurationInOpenState * multiplier^(k-1), maxWaitDurationInOpenState)}; at least 1, default 1
     *     (every opening waits {@link #waitDurationInOpenState()})
     */
    public double waitDurationInOpenStateMultiplier() {
        return waitDurationInOpenStateMultiplier;
    }

    /**
     * @return the longest any open-state wait grows to (see {@link #waitDurationInOpenStateMultiplier()}), at least
     *     {@link #waitDurationInOpenState()}; empty (default) = no limit: the wait grows until it saturates at about 292
     *     years (a {@code long} of nanoseconds), i.e. for ever
     */
    public Optional<Duration> maxWaitDurationInOpenState() {
        return Optional.ofNullable(maxWaitDurationInOpenState);
    }

    /** @return number of trial calls admitted in HALF_OPEN; default 10 */
    public int permittedNumberOfCallsInHalfOpenState() {
        return permittedNumberOfCallsInHalfOpenState;
    }

    /** @return longest stay in HALF_OPEN before going back to OPEN; {@link Duration#ZERO} = no limit (default) */
    public Duration maxWaitDurationInHalfOpenState() {
        return maxWaitDurationInHalfOpenState;
    }

    /** @return whether a timer moves OPEN to HALF_OPEN when the wait ends (otherwise the next call does); default false */
    public boolean automaticTransitionFromOpenToHalfOpenEnabled() {
        return automaticTransitionFromOpenToHalfOpenEnabled;
    }

    /**
     * @return exception classes recorded as failures (with subclasses); an exception outside them (and not recorded
     *     by {@link #recordException()}) counts as a success; empty, with no record predicate either = every exception
     *     not ignored, Errors excepted (an Error counts only where an Error class listed here names it)
     */
    public List<Class<? extends Throwable>> recordExceptions() {
        return recordExceptions;
    }

    /** @return exception classes ignored (with subclasses); ignoring wins over recording */
    public List<Class<? extends Throwable>> ignoreExceptions() {
        return ignoreExceptions;
    }

    /**
     * @return a test that records an exception it accepts as a failure, besides {@link #recordExceptions()} (either
     *     one is enough), if set
     */
    public Optional<Predicate<Throwable>> recordException() {
        return Optional.ofNullable(recordException);
    }

    /** @return a test that ignores an exception when it accepts it, if set */
    public Optional<Predicate<Throwable>> ignoreException() {
        return Optional.ofNullable(ignoreException);
    }

    /** @return a test that records a returned value as a failure when it accepts it, if set */
    public Optional<Predicate<Object>> recordResult() {
        return Optional.ofNullable(recordResult);
    }

    /**
     * Whether a breaker with this config records an exception its call threw as a failure: the rules of the class
     * comment, the Error rule and both predicates included. A record or ignore predicate that throws makes the
     * answer {@code true}, as the breaker then records the call as a failure. An exception that is neither ignored
     * nor recorded counts as a success.
     *
     * @param error what a call threw
     * @return {@code true}: recorded as a failure; {@code false}: ignored or counted as a success (see
     *     {@link #ignores(Throwable)})
     */
    public boolean records(Throwable error) {
        Objects.requireNonNull(error, "error");
        try {
            return !classifier.ignores(error) && classifier.records(error);
        } catch (Throwable predicateFailure) {
            return true;
        }
    }

    /**
     * Whether a breaker with this config ignores an exception its call threw: counts it neither as a success nor as a
     * failure, and gives a HALF_OPEN trial back. A predicate that throws makes the answer {@code false} (the breaker
     * then records a failure).
     *
     * @param error what a call threw
     * @return {@code true}: ignored; {@code false}: recorded as a failure, or counted as a success when
     *     {@link #records(Throwable)} is {@code false} too
     */
    public boolean ignores(Throwable error) {
        Objects.requireNonNull(error, "error");
        try {
            return classifier.ignores(error);
        } catch (Throwable predicateFailure) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "CircuitBreakerConfig[slidingWindowType=" + slidingWindowType + ", slidingWindowSize=" + slidingWindowSize
                + ", minimumNumberOfCalls=" + minimumNumberOfCalls + ", failureRateThreshold=" + failureRateThreshold
                + ", slowCallRateThreshold=" + slowCallRateThreshold + ", slowCallDurationThreshold=" + slowCallDurationThreshold
                + ", waitDurationInOpenState=" + waitDurationInOpenState
                + ", waitDurationInOpenStateMultiplier=" + waitDurationInOpenStateMultiplier
                + ", maxWaitDurationInOpenState=" + maxWaitDurationInOpenState
                + ", permittedNumberOfCallsInHalfOpenState=" + permittedNumberOfCallsInHalfOpenState
                + ", maxWaitDurationInHalfOpenState=" + maxWaitDurationInHalfOpenState
                + ", automaticTransitionFromOpenToHalfOpenEnabled=" + automaticTransitionFromOpenToHalfOpenEnabled
                + ", recordExceptions=" + recordExceptions + ", ignoreExceptions=" + ignoreExceptions + "]";
    }

    /** How the sliding window is measured. */
    public enum SlidingWindowType {
        /** The last {@code slidingWindowSize} calls (1..65535). */
        COUNT_BASED,
        /** The calls of the last {@code slidingWindowSize} seconds (1..3600), in one-second buckets. */
        TIME_BASED
    }

    /** Builds a {@link CircuitBreakerConfig}. Each method validates at once. Not thread-safe. */
    public static final class Builder {

        private SlidingWindowType slidingWindowType = SlidingWindowType.COUNT_BASED;
        private int slidingWindowSize = 100;
        private int minimumNumberOfCalls = 100;
        private float failureRateThreshold = 50;
        private float slowCallRateThreshold = 50;
        private Duration slowCallDurationThreshold = Duration.ofSeconds(60);
        private Duration waitDurationInOpenState = Duration.ofSeconds(60);
        private double waitDurationInOpenStateMultiplier = 1.0;
        private Duration maxWaitDurationInOpenState;
        private int permittedNumberOfCallsInHalfOpenState = 10;
        private Duration maxWaitDurationInHalfOpenState = Duration.ZERO;
        private boolean automaticTransitionFromOpenToHalfOpenEnabled;
        private List<Class<? extends Throwable>> recordExceptions = List.of();
        private List<Class<? extends Throwable>> ignoreExceptions = List.of();
        private Predicate<Throwable> recordException;
        private Predicate<Throwable> ignoreException;
        private Predicate<Object> recordResult;

        private Builder() {
        }

        private Builder(CircuitBreakerConfig c) {
            slidingWindowType = c.slidingWindowType;
            slidingWindowSize = c.slidingWindowSize;
            minimumNumberOfCalls = c.minimumNumberOfCalls;
            failureRateThreshold = c.failureRateThreshold;
            slowCallRateThreshold = c.slowCallRateThreshold;
            slowCallDurationThreshold = c.slowCallDurationThreshold;
            waitDurationInOpenState = c.waitDurationInOpenState;
            waitDurationInOpenStateMultiplier = c.waitDurationInOpenStateMultiplier;
            maxWaitDurationInOpenState = c.maxWaitDurationInOpenState;
            permittedNumberOfCallsInHalfOpenState = c.permittedNumberOfCallsInHalfOpenState;
            maxWaitDurationInHalfOpenState = c.maxWaitDurationInHalfOpenState;
            automaticTransitionFromOpenToHalfOpenEnabled = c.automaticTransitionFromOpenToHalfOpenEnabled;
            recordExceptions = c.recordExceptions;
            ignoreExceptions = c.ignoreExceptions;
            recordException = c.recordException;
            ignoreException = c.ignoreException;
            recordResult = c.recordResult;
        }

        /**
         * @param type COUNT_BASED (the last N calls, default) or TIME_BASED (the last N seconds); the current
         *     {@link #slidingWindowSize(int)} must fit the new type's range
         * @return this builder
         */
        public Builder slidingWindowType(SlidingWindowType type) {
            Validate.nonNull("slidingWindowType", type);
            checkWindowSize(type, slidingWindowSize);
            this.slidingWindowType = type;
            return this;
        }

        /**
         * @param size the window: calls for COUNT_BASED (1..65535), seconds for TIME_BASED (1..3600); default 100
         * @return this builder
         */
        public Builder slidingWindowSize(int size) {
            checkWindowSize(slidingWindowType, size);
            this.slidingWindowSize = size;
            return this;
        }

        private static void checkWindowSize(SlidingWindowType type, int size) {
            if (type == SlidingWindowType.COUNT_BASED) {
                if (size < 1 || size > MAX_COUNT_WINDOW_SIZE) {
                    throw new InvalidConfigException("slidingWindowSize", size,
                            "between 1 and " + MAX_COUNT_WINDOW_SIZE + " (calls, for a COUNT_BASED window)");
                }
            } else if (size < 1 || size > MAX_TIME_WINDOW_SECONDS) {
                throw new InvalidConfigException("slidingWindowSize", size,
                        "between 1 and " + MAX_TIME_WINDOW_SECONDS + " (seconds, for a TIME_BASED window)");
            }
        }

        /**
         * Kept as set, whatever the window: a COUNT_BASED window larger than it can hold applies its own size as the
         * minimum instead (Resilience4j changes the value at {@code build()}; the Spring Boot starter refuses a
         * {@code minimum-number-of-calls} set above a COUNT_BASED {@code sliding-window-size} at start-up, as a
         * likely mistake).
         *
         * @param calls calls the window must hold before rates are computed, at least 1; default 100
         * @return this builder
         */
        public Builder minimumNumberOfCalls(int calls) {
            this.minimumNumberOfCalls = Validate.atLeast("minimumNumberOfCalls", calls, 1);
            return this;
        }

        /**
         * @param percent failure rate at or above which the breaker opens, greater than 0 and at most 100; default 50
         * @return this builder
         */
        public Builder failureRateThreshold(float percent) {
            Validate.between("failureRateThreshold", percent, 0, true, 100);
            this.failureRateThreshold = percent;
            return this;
        }

        /**
         * The default differs from Resilience4j's (100 %): with the default 60 s threshold, half the window's calls
         * taking over a minute open the breaker here, while Resilience4j waits until all of them do. Set 100 to keep
         * its behaviour.
         *
         * @param percent slow-call rate at or above which the breaker opens, greater than 0 and at most 100; default 50
         * @return this builder
         */
        public Builder slowCallRateThreshold(float percent) {
            Validate.between("slowCallRateThreshold", percent, 0, true, 100);
            this.slowCallRateThreshold = percent;
            return this;
        }

        /**
         * How calls are timed. A threshold of at least 100 times the clock's
         * {@linkplain dev.resilience.core.Clock#coarseResolutionNanos() coarse resolution} (on the system clock, whose
         * coarse time ticks every 10 ms: 1 s or more, the default 60 s included) is timed with the coarse time, two
         * volatile reads per call instead of two {@link System#nanoTime()} calls; a shorter one is timed exactly. So a
         * call is classified slow if its duration exceeds the threshold by more than the coarse resolution (which is
         * then at most 1 % of the threshold: 10 ms on the system clock), and never slow if its duration falls short of
         * the threshold by more than that; in between it may go either way (on an overloaded machine, the coarse time
         * may lag a little more, by however long its refreshing thread waits for a CPU). On a clock whose coarse time
         * is exact, such as {@code ManualClock}, the classification is exact. The call durations the breaker totals
         * ({@link CircuitBreakerMetrics#totalSuccessfulCallsNanos()}) are measured the same way.
         *
         * @param duration a call taking strictly longer counts as slow; positive, or {@link Duration#ZERO} to turn
         *     slow-call detection off (then no call is slow and the breaker reads the clock less; Resilience4j refuses
         *     a zero threshold); default 60 s.
         *     Anything over about 292 years (a {@code long} of nanoseconds) means no call is ever slow.
         * @return this builder
         */
        public Builder slowCallDurationThreshold(Duration duration) {
            this.slowCallDurationThreshold = Validate.notNegative("slowCallDurationThreshold", duration);
            return this;
        }

        /**
         * @param duration how long to stay OPEN before admitting trial calls, positive; default 60 s. Anything over
         *     about 292 years (a {@code long} of nanoseconds) means for ever: only a manual transition leaves OPEN.
         *     It must not exceed {@link #maxWaitDurationInOpenState(Duration)} when that is set (checked by
         *     {@link #build()}).
         * @return this builder
         */
        public Builder waitDurationInOpenState(Duration duration) {
            this.waitDurationInOpenState = Validate.positive("waitDurationInOpenState", duration);
            return this;
        }

        /**
         * @param multiplier how much longer each opening in a row waits than the one before: after a breaker's
         *     half-open trials fail (or it stays HALF_OPEN longer than {@link #maxWaitDurationInHalfOpenState(Duration)}),
         *     it waits {@code multiplier} times its previous wait, up to {@link #maxWaitDurationInOpenState(Duration)};
         *     reaching CLOSED starts again from {@link #waitDurationInOpenState(Duration)}. At least 1 and finite;
         *     default 1 (every opening waits the same). A wait too long for a {@code long} of nanoseconds saturates
         *     (means for ever).
         * @return this builder
         */
        public Builder waitDurationInOpenStateMultiplier(double multiplier) {
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new InvalidConfigException("waitDurationInOpenStateMultiplier", multiplier, "at least 1 and finite");
            }
            this.waitDurationInOpenStateMultiplier = multiplier;
            return this;
        }

        /**
         * @param duration the longest a growing open-state wait may become; positive and at least
         *     {@link #waitDurationInOpenState(Duration)} (checked by {@link #build()}), or {@code null} for no limit
         *     (default)
         * @return this builder
         */
        public Builder maxWaitDurationInOpenState(Duration duration) {
            this.maxWaitDurationInOpenState =
                    duration == null ? null : Validate.positive("maxWaitDurationInOpenState", duration);
            return this;
        }

        /**
         * @param calls trial calls admitted in HALF_OPEN, 1..65535; default 10
         * @return this builder
         */
        public Builder permittedNumberOfCallsInHalfOpenState(int calls) {
            this.permittedNumberOfCallsInHalfOpenState =
                    Validate.between("permittedNumberOfCallsInHalfOpenState", calls, 1, MAX_HALF_OPEN_CALLS);
            return this;
        }

        /**
         * @param duration longest stay in HALF_OPEN before going back to OPEN; zero (default) = no limit, as is anything
         *     over about 292 years (a {@code long} of nanoseconds)
         * @return this builder
         */
        public Builder maxWaitDurationInHalfOpenState(Duration duration) {
            this.maxWaitDurationInHalfOpenState = Validate.notNegative("maxWaitDurationInHalfOpenState", duration);
            return this;
        }

        /**
         * @param enabled whether a timer moves OPEN to HALF_OPEN when the wait ends, rather than the next call;
         *     default false
         * @return this builder
         */
        public Builder automaticTransitionFromOpenToHalfOpenEnabled(boolean enabled) {
            this.automaticTransitionFromOpenToHalfOpenEnabled = enabled;
            return this;
        }

        /**
         * @param classes exceptions recorded as failures, subclasses included (replaces earlier ones); an exception
         *     that is neither ignored nor recorded (by these or {@link #recordException(Predicate)}) counts as a
         *     success, as in Resilience4j; none (default), with no record predicate, means every exception that is
         *     not ignored. A {@link java.lang.Error} counts only when one of these is an Error class it belongs to
         *     (see the class comment).
         * @return this builder
         */
        @SafeVarargs
        public final Builder recordExceptions(Class<? extends Throwable>... classes) {
            this.recordExceptions = List.of(Validate.noNulls("recordExceptions", classes));
            return this;
        }

        /**
         * @param classes exceptions that count neither as success nor failure, subclasses included (replaces
         *     earlier ones); ignoring wins over recording; default none
         * @return this builder
         */
        @SafeVarargs
        public final Builder ignoreExceptions(Class<? extends Throwable>... classes) {
            this.ignoreExceptions = List.of(Validate.noNulls("ignoreExceptions", classes));
            return this;
        }

        /**
         * An extra test for exceptions. If it throws, the call is recorded as a failure (a half-open trial is used up
         * as by any failure, never kept), and the caller gets the call's own exception with the predicate's
         * attached as {@linkplain Throwable#getSuppressed() suppressed}; the ERROR event names it as
         * {@code predicateError}.
         *
         * @param predicate records an exception it accepts (and the ignore settings let through) as a failure, as
         *     {@link #recordExceptions(Class[])} does: either one is enough, as in Resilience4j; an exception neither
         *     records counts as a success; default none
         * @return this builder
         */
        public Builder recordException(Predicate<Throwable> predicate) {
            this.recordException = Validate.nonNull("recordException", predicate);
            return this;
        }

        /**
         * A test that ignores exceptions. If it throws, the call is recorded as a failure (its half-open trial is
         * used up as by any failure, never kept), and the caller gets the call's own exception with the predicate's
         * attached as {@linkplain Throwable#getSuppressed() suppressed}; the ERROR event names it as
         * {@code predicateError}.
         *
         * @param predicate ignores an exception it accepts (wins over every record setting); default none
         * @return this builder
         */
        public Builder ignoreException(Predicate<Throwable> predicate) {
            this.ignoreException = Validate.nonNull("ignoreException", predicate);
            return this;
        }

        /**
         * A test for returned values. If it throws, the call is recorded as a failure (its half-open trial is used
         * up as by any failure, never kept) and the caller still gets the value the call returned, synchronously
         * and asynchronously alike; there is no exception of the call's to attach the predicate's to, so it is
         * logged (WARNING, logger {@code dev.resilience.circuitbreaker.internal.CircuitBreakerImpl}) and named in
         * the ERROR event as {@code predicateError}.
         *
         * @param predicate records a returned value it accepts as a failure; default none (every value is a success)
         * @return this builder
         */
        public Builder recordResult(Predicate<Object> predicate) {
            this.recordResult = Validate.nonNull("recordResult", predicate);
            return this;
        }

        /**
         * @return the immutable configuration
         * @throws InvalidConfigException if {@link #maxWaitDurationInOpenState(Duration)} is shorter than
         *     {@link #waitDurationInOpenState(Duration)}
         */
        public CircuitBreakerConfig build() {
            if (maxWaitDurationInOpenState != null && maxWaitDurationInOpenState.compareTo(waitDurationInOpenState) < 0) {
                throw new InvalidConfigException("maxWaitDurationInOpenState", maxWaitDurationInOpenState,
                        "at least", "waitDurationInOpenState", waitDurationInOpenState);
            }
            return new CircuitBreakerConfig(this);
        }
    }
}

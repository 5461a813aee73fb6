package dev.resilience.retry;

import dev.resilience.ResilienceException;
import dev.resilience.core.internal.ExceptionClassifier;
import dev.resilience.core.internal.Durations;
import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.internal.Validate;
import dev.resilience.core.internal.ContinuationThreads;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;

/**
 * The immutable, validated settings of a {@link Retry}. Built with {@link #builder()}, changed with
 * {@link #toBuilder()}; every builder method validates its value at once and throws
 * {@link InvalidConfigException} naming the setting, the value and the allowed range.
 *
 * <p>The wait after the {@code k}-th failed attempt (k = 1 for the wait after the first failure) is
 * {@code min(waitDuration * exponentialBackoffMultiplier^(k-1), exponentialMaxWaitDuration)}; with a
 * {@link #randomizedWaitFactor()} {@code f > 0} it is then drawn uniformly from {@code [w*(1-f), w*(1+f)]}
 * and capped again. See {@link #waitBeforeRetry(int)}. An {@link #intervalFunction()} may decide the wait instead,
 * from the attempt's outcome (a {@code Retry-After}, say).
 *
 * <p>Which failures are retried: never a {@link java.lang.Error}; never an exception whose class (or a
 * superclass) is listed in {@link #ignoreExceptions()}; never a rejection (a {@link ResilienceException} whose
 * {@link ResilienceException#isRejection()} is true: a policy refused to run the call, as an open breaker, a full
 * bulkhead, a rate limit or a shutdown do) unless its kind is opted in (see {@link #retryRejections()}); otherwise an
 * exception is retried when {@link #retryExceptions()} lists its class (or a superclass) or the
 * {@link #retryOnException()} predicate accepts it (either is enough, as in Resilience4j), or when neither is set. A
 * result is
 * retried when the {@link #retryOnResult()} predicate (if set) accepts it. An asynchronous supplier that throws
 * instead of returning a stage is retried like an attempt whose stage failed (Resilience4j lets that exception
 * through at once).
 *
 * <p>Immutable and thread-safe.
 */
public final class RetryConfig {

    /** No wait is ever longer than this (about 73 years), so time arithmetic cannot overflow. */
    public static final long MAX_WAIT_NANOS = Long.MAX_VALUE / 4;

    private static final RetryConfig DEFAULTS = new Builder().build();
    private static final DoubleSupplier DEFAULT_RANDOM = () -> ThreadLocalRandom.current().nextDouble();

    private final int maxAttempts;
    private final Duration waitDuration;
    private final double exponentialBackoffMultiplier;
    private final Duration exponentialMaxWaitDuration;
    private final double randomizedWaitFactor;
    private final List<Class<? extends Throwable>> retryExceptions;
    private final List<Class<? extends Throwable>> ignoreExceptions;
    private final List<Class<? extends ResilienceException>> retryRejections;
    private final Predicate<Throwable> retryOnException;
    private final Predicate<Object> retryOnResult;
    private final DoubleSupplier random;
    private final Executor asyncExecutor;
    private final Duration maxDuration;
    private final IntervalBiFunction intervalFunction;
    private final boolean failAfterMaxAttempts;
    private final RetryBudgetConfig budget;
    private final ExceptionClassifier classifier;
    private final List<Class<?>> optedInRejections;
    /** Whether a rejection of this class is retried like any failure (its kind was opted in). */
    private final ClassValue<Boolean> optedInRejection = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> optedIn : optedInRejections) {
                if (optedIn.isAssignableFrom(type)) {
                    return true;
                }
            }
            return false;
        }
    };
    private final long waitNanos;
    private final long capNanos;

    private RetryConfig(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.waitDuration = b.waitDuration;
        this.exponentialBackoffMultiplier = b.exponentialBackoffMultiplier;
        this.exponentialMaxWaitDuration = b.exponentialMaxWaitDuration;
        this.randomizedWaitFactor = b.randomizedWaitFactor;
        this.retryExceptions = b.retryExceptions;
        this.ignoreExceptions = b.ignoreExceptions;
        this.retryRejections = b.retryRejections;
        this.retryOnException = b.retryOnException;
        this.retryOnResult = b.retryOnResult;
        this.random = b.random;
        this.asyncExecutor = b.asyncExecutor;
        this.maxDuration = b.maxDuration;
        this.intervalFunction = b.intervalFunction;
        this.failAfterMaxAttempts = b.failAfterMaxAttempts;
        this.budget = b.budgetEnabled ? b.budget : null;
        this.classifier = new ExceptionClassifier(retryExceptions, ignoreExceptions, retryOnException, null);
        List<Class<?>> optedIn = new java.util.ArrayList<>(retryRejections);
        for (Class<? extends Throwable> listed : retryExceptions) {
            if (isRejectionKind(listed)) {
                optedIn.add(listed); // named outright: that is opting in
            }
        }
        this.optedInRejections = List.copyOf(optedIn);
        this.waitNanos = Math.min(Durations.saturatedNanos(waitDuration), MAX_WAIT_NANOS);
        this.capNanos = exponentialMaxWaitDuration == null ? MAX_WAIT_NANOS : Math.min(Durations.saturatedNanos(exponentialMaxWaitDuration), MAX_WAIT_NANOS);
    }

    /** @return the defaults: 3 attempts, 500 ms fixed wait, no jitter, every exception retried */
    public static RetryConfig defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from this config's values */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return total attempts, the first call included (at least 1; default 3) */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return the wait after the first failed attempt (zero or positive; default 500 ms) */
    public Duration waitDuration() {
        return waitDuration;
    }

    /** @return the factor each further wait grows by (at least 1; 1 = fixed wait; default 1) */
    public double exponentialBackoffMultiplier() {
        return exponentialBackoffMultiplier;
    }

    /** @return the cap on any wait, or empty (default) for no cap other than {@link #MAX_WAIT_NANOS} */
    public Optional<Duration> exponentialMaxWaitDuration() {
        return Optional.ofNullable(exponentialMaxWaitDuration);
    }

    /** @return the jitter factor, between 0 and 1 (default 0: no jitter) */
    public double randomizedWaitFactor() {
        return randomizedWaitFactor;
    }

    /** @return the exception classes retried (subclasses included); empty (default) = every one not ignored */
    public List<Class<? extends Throwable>> retryExceptions() {
        return retryExceptions;
    }

    /** @return the exception classes never retried (subclasses included); wins over {@link #retryExceptions()} */
    public List<Class<? extends Throwable>> ignoreExceptions() {
        return ignoreExceptions;
    }

    /**
     * @return the rejection kinds (see {@link Builder#retryRejections}) retried like any failure; empty (default):
     *     a rejection ends the call at once and reaches the caller: another attempt after a backoff would most
     *     likely be refused again (a breaker stays open for its whole wait, a shutdown does not end). A rejection class (or a subclass of one) listed
     *     in {@link #retryExceptions()} is retried too; a broader class there (say {@code RuntimeException}) does
     *     not opt rejections in, and {@link #ignoreExceptions()} still wins.
     */
    public List<Class<? extends ResilienceException>> retryRejections() {
        return retryRejections;
    }

    /**
     * @return a test that retries an exception it accepts, besides {@link #retryExceptions()} (either is enough), or
     *     empty (default)
     */
    public Optional<Predicate<Throwable>> retryOnException() {
        return Optional.ofNullable(retryOnException);
    }

    /** @return the test that marks a result as to be retried, or empty (default: results are never retried) */
    public Optional<Predicate<Object>> retryOnResult() {
        return Optional.ofNullable(retryOnResult);
    }

    /**
     * @return the longest a call may take over all its attempts and backoffs, or empty (default) for no limit:
     *     a deadline for everything the retry calls. Each attempt runs with the earlier of the caller's
     *     {@link dev.resilience.deadline.Deadline} and {@code start of the call + maxDuration} as its current
     *     deadline; no attempt starts, and no backoff sleeps, past it: a backoff that would end past it ends the
     *     call at once with its last failure (or last result)
     */
    public Optional<Duration> maxDuration() {
        return Optional.ofNullable(maxDuration);
    }

    /**
     * @return what decides the wait before each retry from the attempt's outcome, or empty (default): the configured
     *     backoff ({@link #waitBeforeRetry(int)}) alone; see {@link IntervalBiFunction#apply}
     */
    public Optional<IntervalBiFunction> intervalFunction() {
        return Optional.ofNullable(intervalFunction);
    }

    /**
     * @return whether a call whose attempts all returned a result marked by {@link #retryOnResult()} ends with a
     *     {@link MaxRetriesExceededException} carrying the last result (true), or returns that result (false, default)
     */
    public boolean failAfterMaxAttempts() {
        return failAfterMaxAttempts;
    }

    /**
     * @return the retry budget's settings, or empty (default) for no budget: every retry the other settings
     *     allow is made
     */
    public Optional<RetryBudgetConfig> budget() {
        return Optional.ofNullable(budget);
    }

    /** @return the source of jitter: uniform values in {@code [0, 1)} (default {@link ThreadLocalRandom}) */
    public DoubleSupplier random() {
        return random;
    }

    /**
     * @return what runs each asynchronous attempt that follows a backoff (the first attempt runs on the caller's
     *     thread): by default the engine's shared continuation threads (daemon threads named
     *     {@code resilience-continuation-<n>}, at most 64, shared with timeouts' completions; when all are busy the
     *     attempt starts on the timer thread). The clock's timer thread only times the backoff, so an attempt that
     *     blocks holds up no timer.
     */
    public Executor asyncExecutor() {
        return asyncExecutor;
    }

    /**
     * @param error a failure of an attempt
     * @return whether it is retried (never for an {@link Error}, nor for a rejection, one whose
     *     {@link ResilienceException#isRejection()} is true, of a kind not opted in)
     */
    public boolean isRetryable(Throwable error) {
        return !(error instanceof Error)
                && !(error instanceof ResilienceException rejection && rejection.isRejection()
                        && !optedInRejection.get(error.getClass()))
                && classifier.counts(error);
    }

    /**
     * The wait after the {@code retry}-th failed attempt, before attempt {@code retry + 1}, with jitter drawn
     * from {@link #random()} when {@link #randomizedWaitFactor()} is above 0.
     *
     * @param retry 1 for the wait after the first failure, 2 after the second, ...
     * @return the wait
     * @throws IllegalArgumentException if {@code retry < 1}
     */
    public Duration waitBeforeRetry(int retry) {
        return Duration.ofNanos(waitNanosBeforeRetry(retry));
    }

    /**
     * Same as {@link #waitBeforeRetry(int)}, in nanoseconds, without allocating.
     *
     * @param retry 1 for the wait after the first failure
     * @return the wait in nanoseconds, between 0 and {@link #MAX_WAIT_NANOS}
     */
    public long waitNanosBeforeRetry(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be >= 1, but was " + retry);
        }
        if (waitNanos == 0) {
            return 0; // however large the growth: 0 * Infinity would be NaN
        }
        double cap = capNanos;
        double w = waitNanos;
        if (exponentialBackoffMultiplier != 1.0 && retry > 1) {
            // May overflow to +Infinity (w is positive, so never NaN): it saturates at the cap below.
            w = w * Math.pow(exponentialBackoffMultiplier, retry - 1);
        }
        if (w > cap) {
            w = cap;
        }
        if (randomizedWaitFactor > 0) {
            double r = random.getAsDouble();
            w = w * (1 - randomizedWaitFactor) + r * 2 * randomizedWaitFactor * w;
            if (!(w >= 0)) {
                w = 0; // only a random() outside [0, 1) gets here (NaN included)
            } else if (w > cap) {
                w = cap;
            }
        }
        // The double may round above the long cap: cap again in exact arithmetic.
        return Math.min((long) w, capNanos);
    }

    /**
     * Whether a class is a rejection kind: a subclass of {@link ResilienceException} that keeps its
     * {@link ResilienceException#isRejection()} (true), so that each of its exceptions is a rejection. A class that
     * overrides it, as {@link dev.resilience.timeout.TimeoutExceededException} and
     * {@link MaxRetriesExceededException} do to say their call ran, is not one; nor is {@code ResilienceException}
     * itself, which would opt every rejection in at once.
     */
    static boolean isRejectionKind(Class<?> type) {
        if (type == ResilienceException.class || !ResilienceException.class.isAssignableFrom(type)) {
            return false;
        }
        try {
            return type.getMethod("isRejection").getDeclaringClass() == ResilienceException.class;
        } catch (NoSuchMethodException impossible) { // public on ResilienceException, so on every subclass
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public String toString() {
        return "RetryConfig{maxAttempts=" + maxAttempts + ", waitDuration=" + waitDuration
                + ", exponentialBackoffMultiplier=" + exponentialBackoffMultiplier
                + ", exponentialMaxWaitDuration=" + exponentialMaxWaitDuration
                + ", randomizedWaitFactor=" + randomizedWaitFactor
                + ", retryExceptions=" + retryExceptions + ", ignoreExceptions=" + ignoreExceptions
                + ", retryRejections=" + retryRejections
                + ", maxDuration=" + maxDuration + ", intervalFunction=" + intervalFunction
                + ", failAfterMaxAttempts=" + failAfterMaxAttempts + ", budget=" + budget + '}';
    }

    /**
     * Builds a {@link RetryConfig}. Each method validates its value at once ({@link InvalidConfigException});
     * nothing is clamped. Not thread-safe; the built config never changes when the builder does.
     */
    public static final class Builder {

        private int maxAttempts = 3;
        private Duration waitDuration = Duration.ofMillis(500);
        private double exponentialBackoffMultiplier = 1.0;
        private Duration exponentialMaxWaitDuration;
        private double randomizedWaitFactor;
        private List<Class<? extends Throwable>> retryExceptions = List.of();
        private List<Class<? extends Throwable>> ignoreExceptions = List.of();
        private List<Class<? extends ResilienceException>> retryRejections = List.of();
        private Predicate<Throwable> retryOnException;
        private Predicate<Object> retryOnResult;
        private DoubleSupplier random = DEFAULT_RANDOM;
        private Executor asyncExecutor = ContinuationThreads.INSTANCE;
        private Duration maxDuration;
        private IntervalBiFunction intervalFunction;
        private boolean failAfterMaxAttempts;
        private boolean budgetEnabled;
        /** Whether the budget was said on or off (budgetEnabled, budget, or a config that has one). */
        private boolean budgetSwitchSet;
        /** The first budget detail given (name and value), reported when the switch was never set. */
        private String budgetDetail;
        private Object budgetDetailValue;
        private RetryBudgetConfig budget = RetryBudgetConfig.defaults();

        private Builder() {
        }

        private Builder(RetryConfig c) {
            maxAttempts = c.maxAttempts;
            waitDuration = c.waitDuration;
            exponentialBackoffMultiplier = c.exponentialBackoffMultiplier;
            exponentialMaxWaitDuration = c.exponentialMaxWaitDuration;
            randomizedWaitFactor = c.randomizedWaitFactor;
            retryExceptions = c.retryExceptions;
            ignoreExceptions = c.ignoreExceptions;
            retryRejections = c.retryRejections;
            retryOnException = c.retryOnException;
            retryOnResult = c.retryOnResult;
            random = c.random;
            asyncExecutor = c.asyncExecutor;
            maxDuration = c.maxDuration;
            intervalFunction = c.intervalFunction;
            failAfterMaxAttempts = c.failAfterMaxAttempts;
            budgetEnabled = c.budget != null;
            budgetSwitchSet = c.budget != null;
            if (c.budget != null) {
                budget = c.budget;
            }
        }

        /**
         * @param maxAttempts total attempts, the first call included; at least 1 (1 = no retry). Default 3.
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = Validate.atLeast("maxAttempts", maxAttempts, 1);
            return this;
        }

        /**
         * @param waitDuration the wait after the first failed attempt; zero or positive. Default 500 ms.
         * @return this builder
         */
        public Builder waitDuration(Duration waitDuration) {
            this.waitDuration = Validate.notNegative("waitDuration", waitDuration);
            return this;
        }

        /**
         * @param multiplier what each further wait is multiplied by; at least 1 and finite (1 = a fixed wait).
         *     Default 1.
         * @return this builder
         */
        public Builder exponentialBackoffMultiplier(double multiplier) {
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new InvalidConfigException("exponentialBackoffMultiplier", multiplier, "at least 1 and finite");
            }
            this.exponentialBackoffMultiplier = multiplier;
            return this;
        }

        /**
         * @param maxWait the longest any wait may be (jitter included); a positive duration at least
         *     {@link #waitDuration} (checked by {@link #build()}), or {@code null} for none. Default: none (no cap
         *     other than {@link #MAX_WAIT_NANOS}, about 73 years).
         * @return this builder
         */
        public Builder exponentialMaxWaitDuration(Duration maxWait) {
            this.exponentialMaxWaitDuration = maxWait == null ? null : Validate.positive("exponentialMaxWaitDuration", maxWait);
            return this;
        }

        /**
         * @param factor the jitter: each wait {@code w} is drawn uniformly from {@code [w*(1-f), w*(1+f)]};
         *     between 0 and 1 inclusive. Default 0 (no jitter). The cap ({@link #exponentialMaxWaitDuration}) applies
         *     before the jitter and again after it, so waits that reached the cap still spread over
         *     {@code [cap*(1-f), cap]} ({@code [cap/2, cap]} for f = 0.5), where Resilience4j's all equal the cap.
         * @return this builder
         */
        public Builder randomizedWaitFactor(double factor) {
            this.randomizedWaitFactor = Validate.between("randomizedWaitFactor", factor, 0.0, false, 1.0);
            return this;
        }

        /**
         * @param classes the exception classes to retry, subclasses included, besides what
         *     {@link #retryOnException(Predicate)} accepts; none (default), with no such predicate, = every exception
         *     that is not ignored. Replaces any earlier value.
         * @return this builder
         */
        @SafeVarargs
        public final Builder retryExceptions(Class<? extends Throwable>... classes) {
            this.retryExceptions = List.of(Validate.noNulls("retryExceptions", classes));
            return this;
        }

        /**
         * @param classes exception classes never retried, subclasses included; an ignore match wins over
         *     {@link #retryExceptions}. Default none. Replaces any earlier value.
         * @return this builder
         */
        @SafeVarargs
        public final Builder ignoreExceptions(Class<? extends Throwable>... classes) {
            this.ignoreExceptions = List.of(Validate.noNulls("ignoreExceptions", classes));
            return this;
        }

        /**
         * @param kinds rejections to retry like any failure, subclasses included: each a rejection kind, a subclass of
         *     {@link ResilienceException} whose exceptions are all rejections (it does not override
         *     {@link ResilienceException#isRejection()}), such as
         *     {@link dev.resilience.circuitbreaker.CallNotPermittedException},
         *     {@link dev.resilience.bulkhead.BulkheadFullException},
         *     {@link dev.resilience.ratelimiter.RequestNotPermittedException},
         *     {@link dev.resilience.ShutdownInProgressException} or an application's own. A timeout is not one: a
         *     timed-out attempt ran, and is retried like any failure without being listed. Default none: a rejection
         *     ends the call at once. Replaces any earlier value.
         * @return this builder
         */
        @SafeVarargs
        public final Builder retryRejections(Class<? extends ResilienceException>... kinds) {
            Validate.nonNull("retryRejections", kinds);
            for (Class<? extends ResilienceException> kind : kinds) {
                if (kind == null || !isRejectionKind(kind)) {
                    throw new InvalidConfigException("retryRejections", kind == null ? null : kind.getName(),
                            "a rejection kind: a subclass of " + ResilienceException.class.getName() + " whose"
                                    + " isRejection() is not overridden, such as dev.resilience.circuitbreaker"
                                    + ".CallNotPermittedException (a timeout is retried like any failure without"
                                    + " being listed)");
                }
            }
            this.retryRejections = List.of(kinds);
            return this;
        }

        /**
         * @param predicate retries a (not ignored) exception it accepts, besides {@link #retryExceptions(Class[])}:
         *     either one is enough, as in Resilience4j; or {@code null} for none (default)
         * @return this builder
         */
        public Builder retryOnException(Predicate<Throwable> predicate) {
            this.retryOnException = predicate;
            return this;
        }

        /**
         * @param predicate marks a result to be retried, or {@code null} for none (default). When attempts run
         *     out, the last result is returned (with {@link #failAfterMaxAttempts}, a
         *     {@link MaxRetriesExceededException} carrying it is thrown instead). A synchronous caller interrupted in
         *     the backoff after such a result gets that result back, its interrupt flag set, rather than an exception
         *     (Resilience4j throws one), as an interrupted backoff after a failure ends with that failure.
         * @return this builder
         */
        public Builder retryOnResult(Predicate<Object> predicate) {
            this.retryOnResult = predicate;
            return this;
        }

        /**
         * Not a property: the source of jitter, for exact tests.
         *
         * @param random supplies uniform values in {@code [0, 1)}; default {@link ThreadLocalRandom}
         * @return this builder
         */
        public Builder random(DoubleSupplier random) {
            this.random = Validate.nonNull("random", random);
            return this;
        }

        /**
         * Not a property: where asynchronous attempts after a backoff run.
         *
         * @param executor runs each asynchronous attempt that follows a backoff; default the engine's shared
         *     continuation threads ({@code resilience-continuation-<n>}). If it refuses a task, the call ends with its last failure
         *     (or last result), as when retrying is stopped.
         * @return this builder
         */
        public Builder asyncExecutor(Executor executor) {
            this.asyncExecutor = Validate.nonNull("asyncExecutor", executor);
            return this;
        }

        /**
         * @param maxDuration the longest a call may take over all its attempts and backoffs, positive; or
         *     {@code null} (default) for no limit. The first attempt always starts; later ones start only before
         *     the limit, and a backoff that would end at or past it ends the call with its last failure.
         * @return this builder
         */
        public Builder maxDuration(Duration maxDuration) {
            this.maxDuration = maxDuration == null ? null : Validate.positive("maxDuration", maxDuration);
            return this;
        }

        /**
         * @param intervalFunction decides the wait before each retry from the attempt number and the attempt's
         *     outcome (a {@code Retry-After} from a 429 or 503 answer, say), or {@code null} (default) for the configured
         *     backoff alone. Where it returns {@code null}, the configured backoff ({@link #waitDuration},
         *     {@link #exponentialBackoffMultiplier}, ...) applies; what it returns is used as it is (no cap, no jitter);
         *     a negative wait ends the call with an {@link IllegalStateException}. See {@link IntervalBiFunction#apply}.
         *     Property {@code interval-function}: the name of a bean of type {@link IntervalBiFunction}.
         * @return this builder
         */
        public Builder intervalFunction(IntervalBiFunction intervalFunction) {
            this.intervalFunction = intervalFunction;
            return this;
        }

        /**
         * @param failAfterMaxAttempts whether a call whose last attempt still returns a result marked by
         *     {@link #retryOnResult} ends with a {@link MaxRetriesExceededException} carrying that result, instead of
         *     returning it. Default false. Only running out of attempts fails this way: a call ended early on such a
         *     result (retrying stopped, its {@link #maxDuration} or budget spent, the thread interrupted) returns it.
         * @return this builder
         */
        public Builder failAfterMaxAttempts(boolean failAfterMaxAttempts) {
            this.failAfterMaxAttempts = failAfterMaxAttempts;
            return this;
        }

        /**
         * @param budget the retry budget's settings, or {@code null} (default) for no budget
         * @return this builder
         */
        public Builder budget(RetryBudgetConfig budget) {
            this.budgetEnabled = budget != null;
            this.budgetSwitchSet = true;
            if (budget != null) {
                this.budget = budget;
            }
            return this;
        }

        /**
         * @param enabled whether retries draw on a {@link RetryBudget} (default false). The other {@code budget*}
         *     settings apply only when it is true, and may be given only once it is set (true, or false to keep
         *     them for later use): {@link #build()} fails otherwise rather than ignore them
         * @return this builder
         */
        public Builder budgetEnabled(boolean enabled) {
            this.budgetEnabled = enabled;
            this.budgetSwitchSet = true;
            return this;
        }

        private void budgetDetail(String setting, Object value) {
            if (budgetDetail == null) {
                budgetDetail = setting;
                budgetDetailValue = value;
            }
        }

        /**
         * @param ratio see {@link RetryBudgetConfig#ratio()}
         * @return this builder
         */
        public Builder budgetRatio(double ratio) {
            this.budget = budget.withRatio(ratio);
            budgetDetail("budgetRatio", ratio);
            return this;
        }

        /**
         * @param window see {@link RetryBudgetConfig#window()}
         * @return this builder
         */
        public Builder budgetWindow(Duration window) {
            this.budget = budget.withWindow(window);
            budgetDetail("budgetWindow", window);
            return this;
        }

        /**
         * @param minRetriesPerSecond see {@link RetryBudgetConfig#minRetriesPerSecond()}
         * @return this builder
         */
        public Builder budgetMinRetriesPerSecond(double minRetriesPerSecond) {
            this.budget = budget.withMinRetriesPerSecond(minRetriesPerSecond);
            budgetDetail("budgetMinRetriesPerSecond", minRetriesPerSecond);
            return this;
        }

        /**
         * @param group see {@link RetryBudgetConfig#group()}
         * @return this builder
         */
        public Builder budgetGroup(String group) {
            this.budget = budget.withGroup(group);
            budgetDetail("budgetGroup", group);
            return this;
        }

        /**
         * @param shared see {@link RetryBudgetConfig#shared()}
         * @return this builder
         */
        public Builder budgetShared(boolean shared) {
            this.budget = budget.withShared(shared);
            budgetDetail("budgetShared", shared);
            return this;
        }

        /**
         * @return the config
         * @throws InvalidConfigException naming the first {@code budget*} setting given when the budget was never
         *     said on or off: a budget setting without {@code budgetEnabled} would otherwise be silently ignored; naming
         *     {@code exponentialMaxWaitDuration} and {@code waitDuration} if the cap is below the wait
         */
        public RetryConfig build() {
            if (budgetDetail != null && !budgetSwitchSet) {
                throw new InvalidConfigException(budgetDetail, budgetDetailValue,
                        "given together with budgetEnabled (property budget.enabled): set it to true to use the retry"
                                + " budget, or to false to keep the budget off");
            }
            // A cap below the first wait would silently replace the configured wait.
            if (exponentialMaxWaitDuration != null && exponentialMaxWaitDuration.compareTo(waitDuration) < 0) {
                throw new InvalidConfigException("exponentialMaxWaitDuration", exponentialMaxWaitDuration, "at least", "waitDuration",
                        waitDuration);
            }
            return new RetryConfig(this);
        }
    }
}

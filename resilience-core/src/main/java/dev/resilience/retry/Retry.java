package dev.resilience.retry;

import dev.resilience.WaitingPolicy;
import dev.resilience.core.Clock;
import dev.resilience.core.Events;
import dev.resilience.spi.ContextCarrier;
import dev.resilience.retry.internal.RetryImpl;

/**
 * Runs a call again when it fails, up to {@link RetryConfig#maxAttempts()} attempts in total (the first
 * call included), waiting between attempts as {@link RetryConfig#waitBeforeRetry(int)} says.
 *
 * <pre>{@code
 * Retry retry = Retry.of("inventory", RetryConfig.builder()
 *         .maxAttempts(4).waitDuration(Duration.ofMillis(200)).exponentialBackoffMultiplier(2)
 *         .retryExceptions(IOException.class)
 *         .build());
 * Stock stock = retry.call(() -> client.fetch(sku));   // IOException passes through unchanged when attempts run out
 * }</pre>
 *
 * <ul>
 *   <li>When attempts run out, the LAST failure is thrown unchanged (no wrapping), or, for a result
 *       matching {@link RetryConfig#retryOnResult()}, the last result is returned.</li>
 *   <li>A failure that is not retried (see {@link RetryConfig#isRetryable(Throwable)}; never an
 *       {@link Error}) propagates at once. So do rejections (a {@link dev.resilience.ResilienceException}
 *       whose {@code isRejection()} is true: an open breaker, a full bulkhead, a rate limit, a shutdown) unless
 *       {@link RetryConfig#retryRejections()} opts them in: the next attempt would wait a backoff only to be
 *       refused again.</li>
 *   <li>An interrupt ends a synchronous call at once, with the thread's interrupt flag set and no further
 *       attempt: during a backoff the call ends with its last failure; an attempt that throws
 *       {@link InterruptedException}, or ends while the flag is set, ends the call with its own outcome.</li>
 *   <li>Each attempt runs with the earlier of the caller's {@link dev.resilience.deadline.Deadline} and the
 *       call's start plus {@link RetryConfig#maxDuration()} as its current deadline; no retry starts, and no
 *       backoff sleeps, past it: the call ends at once with its last failure.</li>
 *   <li>With {@link RetryConfig#budget()}, a retry is made only while the {@link RetryBudget} allows it;
 *       otherwise the call ends at once with its last failure.</li>
 *   <li>{@link #callAsync} schedules backoffs on the clock: no thread blocks. The clock's timer only ends the
 *       backoff; the next attempt's stage is obtained on {@link RetryConfig#asyncExecutor()} (by default a
 *       engine's shared {@code resilience-continuation-<n>} daemon threads), so a supplier that blocks holds up no
 *       timer. It runs in the caller's context: its deadline, and what a {@link dev.resilience.spi.ContextCarrier}
 *       given to the retry captured.</li>
 *   <li>Cancelling (or failing) the stage {@link #callAsync} returned ends the call: a pending backoff is cancelled,
 *       and the attempt in flight is completed with the same exception and cancelled, so an outer timeout reaches a
 *       breaker inside as a failure and a bulkhead inside gets its permit back.</li>
 * </ul>
 *
 * <p>Thread-safe; one instance serves any number of concurrent calls.
 */
public interface Retry extends WaitingPolicy {

    /** The kind of this policy, as in property names ({@code resilience.retry.*}) and {@link #kind()}. */
    String KIND = "retry";

    /**
     * @param name instance name
     * @param config settings
     * @return a retry on the system clock
     */
    static Retry of(String name, RetryConfig config) {
        return of(name, config, Clock.system());
    }

    /**
     * @param name instance name
     * @param config settings
     * @param clock the time source for backoffs and event times
     * @return a retry
     */
    static Retry of(String name, RetryConfig config, Clock clock) {
        return new RetryImpl(name, config, clock);
    }

    /**
     * A retry whose budget, when its config has one that names a {@link RetryBudgetConfig#group()}, is that group's
     * shared budget from {@code budgets}; a budget without a group is the retry's own.
     *
     * @param name instance name
     * @param config settings
     * @param clock the time source for backoffs and event times
     * @param budgets the shared budgets by group
     * @return a retry
     * @throws IllegalArgumentException if the group exists with other budget settings
     */
    static Retry of(String name, RetryConfig config, Clock clock, RetryBudgets budgets) {
        return of(name, config, clock, budgets, ContextCarrier.none());
    }

    /**
     * As {@link #of(String, RetryConfig, Clock, RetryBudgets)}, carrying an asynchronous caller's context to the
     * threads its attempts after a backoff run on.
     *
     * @param name instance name
     * @param config settings
     * @param clock the time source for backoffs and event times
     * @param budgets the shared budgets by group
     * @param carrier carries the caller's context to later attempts and the call's end (its deadline is carried in
     *     any case)
     * @return a retry
     * @throws IllegalArgumentException if the group exists with other budget settings
     */
    static Retry of(String name, RetryConfig config, Clock clock, RetryBudgets budgets, ContextCarrier carrier) {
        java.util.Objects.requireNonNull(budgets, "budgets");
        return new RetryImpl(name, config, clock, config.budget().map(budgets::budgetFor).orElse(null), carrier);
    }

    /**
     * @param name instance name
     * @return a retry with {@link RetryConfig#defaults()} on the system clock
     */
    static Retry ofDefaults(String name) {
        return of(name, RetryConfig.defaults());
    }

    /** @return the settings now in force (reflecting {@link #reconfigure}) */
    RetryConfig config();

    /**
     * Replaces the settings of this running retry. Each call reads the settings once, as it starts, and keeps them to
     * its end: a call between attempts when the settings change finishes with the attempts and backoff it started
     * with; the next call uses the new ones. Publishes CONFIG_CHANGED. The config was validated when it was built;
     * the one setting that cannot change is checked before anything changes, so this changes all or nothing.
     *
     * @param config the new settings
     * @throws NullPointerException if {@code config} is null
     * @throws IllegalArgumentException if the config names another budget than this retry's (a budget may be shared
     *     by several retries; changing it takes a restart); nothing changed
     * @throws UnsupportedOperationException if this implementation cannot change its settings at run time (the
     *     built-in one can)
     */
    default void reconfigure(RetryConfig config) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot change its settings at run time");
    }

    /** @return a snapshot of the counters */
    RetryMetrics metrics();

    @Override
    Events<RetryEvent> events();

    /**
     * Clears the counters of {@link #metrics()} and the retry budget's counts (a group's budget is shared, so it is
     * cleared for every retry of the group): for tests, so that one test's calls do not show in the next one's
     * metrics or spend its budget. Calls in flight keep running and are counted when they end. Does not undo
     * {@link #stopRetrying()}.
     */
    void reset();

    /**
     * Stops retrying, for graceful shutdown. From now on no new attempt starts: every backoff currently
     * waiting (synchronous threads and scheduled asynchronous backoffs) ends promptly and its call ends with
     * its last failure (or last result); later calls run their first attempt only. Idempotent, irreversible.
     */
    void stopRetrying();

    /** Stops retrying: {@link #stopRetrying()}, as the first step of a {@link dev.resilience.GracefulShutdown}. */
    @Override
    default void stopWaiting() {
        stopRetrying();
    }

    /** @return whether {@link #stopRetrying()} was called */
    boolean isStopped();
}

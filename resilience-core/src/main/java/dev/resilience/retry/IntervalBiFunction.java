package dev.resilience.retry;

import java.time.Duration;

/**
 * Decides the wait before a retry from the attempt that failed, for waits the configured backoff cannot know: a
 * downstream's {@code Retry-After} on a 429 or 503 answer, say. Set with
 * {@link RetryConfig.Builder#intervalFunction(IntervalBiFunction)} (in the starter: a bean named by the property
 * {@code interval-function}).
 *
 * <pre>{@code
 * RetryConfig.builder().maxAttempts(4).waitDuration(Duration.ofMillis(200))
 *         .intervalFunction((attempt, error, result) -> error instanceof TooManyRequests tooMany
 *                 ? tooMany.retryAfter()      // the server's word
 *                 : null)                      // anything else: the configured backoff
 *         .build();
 * }</pre>
 *
 * <p>Called once before each retry, on the thread that saw the attempt end (for an asynchronous call, the thread that
 * completed the attempt's stage), so it should be quick and must be thread-safe.
 */
@FunctionalInterface
public interface IntervalBiFunction {

    /**
     * @param attempt the attempt that just ended, from 1 (the first call): the wait returned comes before attempt
     *     {@code attempt + 1}
     * @param error what that attempt threw (unwrapped from a {@code CompletionException}), or {@code null} if it
     *     returned a result that {@link RetryConfig#retryOnResult()} marked for retry
     * @param result that result (possibly {@code null}); {@code null} when {@code error} is not
     * @return the wait, zero or positive, used as it is: neither capped by
     *     {@link RetryConfig#exponentialMaxWaitDuration()} nor jittered (a wait beyond
     *     {@link RetryConfig#MAX_WAIT_NANOS} waits that long), though a retry's {@link RetryConfig#maxDuration()} still
     *     ends the call instead of a wait that would run past it. {@code null} means "no opinion": the configured
     *     backoff applies ({@link RetryConfig#waitBeforeRetry(int)}). A negative wait is a programming error: the call
     *     then ends with an {@link IllegalStateException} naming the retry and the wait, whose cause is the
     *     attempt's exception (also when the function itself throws, its exception ends the call), and makes no
     *     further attempt.
     */
    Duration apply(int attempt, Throwable error, Object result);
}

package dev.resilience.retry;

import dev.resilience.ResilienceException;

/**
 * A retry with {@link RetryConfig#failAfterMaxAttempts()} made all its attempts and the last one still returned a
 * result marked for retry by {@link RetryConfig#retryOnResult()}. Carries that result ({@link #lastResult()}).
 *
 * <p>Unchecked and without a stack trace, like the engine's rejections; an outer retry retries it like any failure.
 */
public class MaxRetriesExceededException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    private final int attempts;
    private final transient Object lastResult;

    /**
     * @param instanceName the retry's name
     * @param attempts the attempts made
     * @param lastResult what the last attempt returned
     */
    public MaxRetriesExceededException(String instanceName, int attempts, Object lastResult) {
        super(Retry.KIND, instanceName, "Retry '" + instanceName + "' made all its " + attempts + " attempts and the last one"
                + " still returned a result marked for retry (retryOnResult); failAfterMaxAttempts turns it into this"
                + " exception", -1);
        this.attempts = attempts;
        this.lastResult = lastResult;
    }

    /** @return the attempts made, the first call included */
    public int attempts() {
        return attempts;
    }

    /** @return what the last attempt returned (possibly {@code null}); not serialized */
    public Object lastResult() {
        return lastResult;
    }

    /** @return {@code false}: every attempt ran; the retry gave up on their results */
    @Override
    public boolean isRejection() {
        return false;
    }
}

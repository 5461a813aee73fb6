package dev.resilience.retry;

import dev.resilience.core.ResilienceEvent;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something a {@link Retry} did. Created only when someone listens.
 *
 * @param name the instance name
 * @param eventType what happened
 * @param epochMillis when, from the retry's clock
 * @param attempts attempts made so far (for {@link Type#RETRY}: the number of the attempt that just failed)
 * @param waitDuration for {@link Type#RETRY}: the wait before the next attempt; for {@link Type#DEADLINE_EXCEEDED}: the
 *     backoff that did not fit; otherwise {@link Duration#ZERO}
 * @param error the failure, or {@code null} (a success, or a retried result)
 * @param change for {@link Type#CONFIG_CHANGED}: {@code from} and {@code to}, the settings before and after; else empty
 */
public record RetryEvent(String name, Type eventType, long epochMillis, int attempts, Duration waitDuration, Throwable error,
                         Map<String, Object> change) implements ResilienceEvent {

    /** @param change copied; null reads as empty */
    public RetryEvent {
        change = change == null ? Map.of() : Map.copyOf(change);
    }

    /**
     * An event of a call (no configuration change).
     *
     * @param name the instance name
     * @param eventType what happened
     * @param epochMillis when, from the retry's clock
     * @param attempts attempts made so far
     * @param waitDuration the wait, where the type has one
     * @param error the failure, or {@code null}
     */
    public RetryEvent(String name, Type eventType, long epochMillis, int attempts, Duration waitDuration, Throwable error) {
        this(name, eventType, epochMillis, attempts, waitDuration, error, Map.of());
    }

    /** What happened. */
    public enum Type {
        /** An attempt failed (or its result is to be retried) and another will follow after {@code waitDuration}. */
        RETRY,
        /** The call succeeded after at least one retry (first-attempt successes publish no event). */
        SUCCESS,
        /** The call ended with its last failure or result: attempts exhausted, retrying stopped, or interrupted. */
        ERROR,
        /**
         * The call ended with a failure that is not retried (ignored, not listed, an Error, or a rejection such as
         * an open breaker's that is not opted in).
         */
        IGNORED_ERROR,
        /**
         * A retry was refused because the {@link RetryBudget} is spent; the call ends with its last failure at once
         * (an {@link #ERROR} event follows).
         */
        BUDGET_EXHAUSTED,
        /**
         * No further attempt fits before the call's deadline ({@code maxDuration} or the thread's
         * {@link dev.resilience.deadline.Deadline}); the call ends with its last failure at once (an {@link #ERROR}
         * event follows).
         */
        DEADLINE_EXCEEDED,
        /** {@link Retry#reconfigure} changed the settings; {@link #change()} says from what to what. */
        CONFIG_CHANGED
    }

    @Override
    public String kind() {
        return "retry";
    }

    @Override
    public String type() {
        return eventType.name();
    }

    @Override
    public Map<String, Object> details() {
        if (eventType == Type.CONFIG_CHANGED) {
            return change;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("attempts", attempts);
        if (eventType == Type.RETRY || eventType == Type.DEADLINE_EXCEEDED) {
            details.put("waitDuration", waitDuration);
        }
        if (error != null) {
            details.put("error", error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage()));
        }
        return details;
    }
}

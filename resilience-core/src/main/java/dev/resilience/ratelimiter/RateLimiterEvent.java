package dev.resilience.ratelimiter;

import dev.resilience.core.ResilienceEvent;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something a {@link RateLimiter} did. Created only when someone listens.
 *
 * @param name the instance name
 * @param eventType what happened
 * @param epochMillis when, from the limiter's clock
 * @param waitDuration for {@link Type#SUCCESSFUL_ACQUIRE}: how long the caller waited (or, async, is scheduled to
 *     wait) for its period; for {@link Type#FAILED_ACQUIRE}: the time to the next period (zero if unknown)
 * @param reason for {@link Type#FAILED_ACQUIRE}: why ({@code "timeout"}, {@code "interrupted"}, or
 *     {@code "store-unavailable"} for a limiter whose shared store failed and whose on-store-failure is DENY); otherwise null
 */
public record RateLimiterEvent(String name, Type eventType, long epochMillis, Duration waitDuration, String reason)
        implements ResilienceEvent {

    /** What happened. */
    public enum Type {
        /** A permit was acquired (possibly for a later period). */
        SUCCESSFUL_ACQUIRE,
        /** No permit within the timeout, or the wait was interrupted: the call did not run. */
        FAILED_ACQUIRE
    }

    @Override
    public String kind() {
        return "ratelimiter";
    }

    @Override
    public String type() {
        return eventType.name();
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        if (eventType == Type.SUCCESSFUL_ACQUIRE) {
            details.put("waitDuration", waitDuration);
        } else {
            details.put("reason", reason);
            details.put("retryAfter", waitDuration);
        }
        return details;
    }
}

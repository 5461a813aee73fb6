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
 * @param change for {@link Type#CONFIG_CHANGED}: {@code from} and {@code to}, the settings before and after; else empty
 */
public record RateLimiterEvent(String name, Type eventType, long epochMillis, Duration waitDuration, String reason,
                               Map<String, Object> change) implements ResilienceEvent {

    /** @param change copied; null reads as empty */
    public RateLimiterEvent {
        change = change == null ? Map.of() : Map.copyOf(change);
    }

    /**
     * An event of an acquisition (no configuration change).
     *
     * @param name the instance name
     * @param eventType what happened
     * @param epochMillis when, from the limiter's clock
     * @param waitDuration the wait (see the record's description)
     * @param reason for {@link Type#FAILED_ACQUIRE}: why; otherwise null
     */
    public RateLimiterEvent(String name, Type eventType, long epochMillis, Duration waitDuration, String reason) {
        this(name, eventType, epochMillis, waitDuration, reason, Map.of());
    }

    /** What happened. */
    public enum Type {
        /** A permit was acquired (possibly for a later period). */
        SUCCESSFUL_ACQUIRE,
        /** No permit within the timeout, or the wait was interrupted: the call did not run. */
        FAILED_ACQUIRE,
        /**
         * The settings changed ({@link RateLimiter#reconfigure}, {@link RateLimiter#changeLimitForPeriod},
         * {@link RateLimiter#changeTimeoutDuration}); {@link #change()} says from what to what.
         */
        CONFIG_CHANGED
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
        if (eventType == Type.CONFIG_CHANGED) {
            return change;
        }
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

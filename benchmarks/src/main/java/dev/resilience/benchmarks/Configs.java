package dev.resilience.benchmarks;

import java.time.Duration;

/**
 * The settings every benchmark shares, so that "equal configuration" is stated once.
 */
final class Configs {

    /** Calls in a count-based window. */
    static final int COUNT_WINDOW = 100;

    /** Seconds in a time-based window. */
    static final int TIME_WINDOW_SECONDS = 10;

    /** Concurrent calls a bulkhead admits: far more than the benchmark's threads, so it never rejects. */
    static final int BULKHEAD_PERMITS = 25;

    /** Permits per second of a rate limiter that must never make a caller wait (about 10x what 2 cores can call). */
    static final int HUGE_RATE = 1_000_000_000;

    /** The rate limiter's period. */
    static final Duration RATE_PERIOD = Duration.ofSeconds(1);

    /** The default slow-call threshold of both libraries, used where slow-call detection is on. */
    static final Duration SLOW_CALL = Duration.ofSeconds(60);

    /** How long an opened breaker stays open: longer than any benchmark's trial. */
    static final Duration OPEN_WAIT = Duration.ofMinutes(10);

    /** Retry attempts (both libraries' default). */
    static final int RETRY_ATTEMPTS = 3;

    /** Retry wait (Resilience4j's default; never taken on success). */
    static final Duration RETRY_WAIT = Duration.ofMillis(500);

    private Configs() {
    }
}

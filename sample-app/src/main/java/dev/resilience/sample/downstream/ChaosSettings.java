package dev.resilience.sample.downstream;

/**
 * How a downstream misbehaves. Every field may be left out of the JSON (it then means "behave").
 *
 * @param failureRate share of calls answered with HTTP 500, from 0.0 to 1.0
 * @param latencyMs delay added before each answer, from 0 to {@value #MAX_LATENCY_MS}
 * @param hang whether calls hang until the downstream is healed (at most {@link Chaos#HANG_LIMIT})
 * @param failNext number of coming calls answered with HTTP 503 before the downstream behaves again
 *     (transient failures, the case a retry is for)
 */
public record ChaosSettings(Double failureRate, Integer latencyMs, Boolean hang, Integer failNext) {

    /** Longest latency accepted, below the downstream client's read timeout so latency never becomes an error. */
    public static final int MAX_LATENCY_MS = 8_000;

    /** A downstream that behaves. */
    public static final ChaosSettings HEALTHY = new ChaosSettings(0.0, 0, false, 0);

    /**
     * Fills left-out fields with "behave" and checks the ranges.
     *
     * @throws IllegalArgumentException naming the field, the value and the allowed range
     */
    public ChaosSettings {
        failureRate = failureRate == null ? 0.0 : failureRate;
        latencyMs = latencyMs == null ? 0 : latencyMs;
        hang = hang != null && hang;
        failNext = failNext == null ? 0 : failNext;
        if (!(failureRate >= 0.0 && failureRate <= 1.0)) {
            throw new IllegalArgumentException("failureRate is " + failureRate + " but must be from 0.0 to 1.0");
        }
        if (latencyMs < 0 || latencyMs > MAX_LATENCY_MS) {
            throw new IllegalArgumentException("latencyMs is " + latencyMs + " but must be from 0 to " + MAX_LATENCY_MS);
        }
        if (failNext < 0) {
            throw new IllegalArgumentException("failNext is " + failNext + " but must be 0 or more");
        }
    }
}

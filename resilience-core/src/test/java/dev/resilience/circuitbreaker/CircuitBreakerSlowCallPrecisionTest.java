package dev.resilience.circuitbreaker;

import dev.resilience.core.ManualClock;
import dev.resilience.core.TickingClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How precisely a call is classified slow: exactly on a clock whose coarse time is exact; to within the coarse
 * resolution for a threshold of at least 100 ticks (timed with the coarse time); exactly for a shorter threshold.
 */
class CircuitBreakerSlowCallPrecisionTest {

    private static final long TICK = Duration.ofMillis(10).toNanos();
    private static final long MINUTE = Duration.ofSeconds(60).toNanos();

    /** A window big enough never to open, so that each call's classification can be read from the counts. */
    private static CircuitBreakerConfig.Builder config(Duration threshold) {
        return CircuitBreakerConfig.builder().slidingWindowSize(1_000).minimumNumberOfCalls(1_000)
                .slowCallDurationThreshold(threshold);
    }

    /** Runs one call that takes {@code nanos} of the manual time and reports whether it was recorded as slow. */
    private static boolean slow(CircuitBreaker cb, ManualClock time, long nanos) {
        long before = cb.metrics().slowCalls();
        cb.call(() -> {
            time.advanceNanos(nanos);
            return "ok";
        });
        return cb.metrics().slowCalls() == before + 1;
    }

    @Test
    void onAManualClockTheDefaultThresholdIsExact() {
        ManualClock clock = new ManualClock();
        CircuitBreaker cb = CircuitBreaker.of("exact", config(Duration.ofSeconds(60)).build(), clock);
        clock.advanceNanos(3); // off any round phase
        assertThat(slow(cb, clock, MINUTE)).as("exactly the threshold").isFalse();
        assertThat(slow(cb, clock, MINUTE + 1)).as("one nanosecond over").isTrue();
        assertThat(slow(cb, clock, MINUTE - 1)).isFalse();
    }

    @Test
    void aCoarseTimedCallMoreThanOneTickOverTheThresholdIsSlowAtEveryPhase() {
        TickingClock clock = new TickingClock(TICK);
        CircuitBreaker cb = CircuitBreaker.of("coarse", config(Duration.ofSeconds(60)).build(), clock);
        for (long phase = 0; phase < TICK; phase += TICK / 7) {
            clock.time.setNanoTime(1_000 * TICK + phase);
            assertThat(slow(cb, clock.time, MINUTE + TICK + 1)).as("phase %d", phase).isTrue();
            clock.time.setNanoTime(1_000 * TICK + phase);
            assertThat(slow(cb, clock.time, MINUTE - TICK)).as("phase %d", phase).isFalse();
        }
    }

    @Test
    void aCoarseTimedCallWithinOneTickOfTheThresholdMayGoEitherWay() {
        TickingClock clock = new TickingClock(TICK);
        long millis = Duration.ofMillis(1).toNanos();
        long threshold = MINUTE + 5 * millis;
        CircuitBreaker cb = CircuitBreaker.of("coarse", config(Duration.ofNanos(threshold)).build(), clock);
        clock.time.setNanoTime(1_000 * TICK); // starts on a tick, ends 6 ms past one: measures 60 s
        assertThat(slow(cb, clock.time, threshold + millis)).as("1 ms over, measured under").isFalse();
        clock.time.setNanoTime(1_000 * TICK + TICK - 1); // starts just before a tick, ends just past one: 60.01 s
        assertThat(slow(cb, clock.time, threshold - 4 * millis)).as("4 ms under, measured over").isTrue();
    }

    @Test
    void aThresholdUnderAHundredTicksIsTimedExactly() {
        TickingClock clock = new TickingClock(TICK);
        long threshold = 100 * TICK - 1;
        CircuitBreaker cb = CircuitBreaker.of("short", config(Duration.ofNanos(threshold)).build(), clock);
        for (long phase = 0; phase < TICK; phase += TICK / 7) {
            clock.time.setNanoTime(1_000 * TICK + phase);
            assertThat(slow(cb, clock.time, threshold + 1)).as("phase %d", phase).isTrue();
            clock.time.setNanoTime(1_000 * TICK + phase);
            assertThat(slow(cb, clock.time, threshold)).as("phase %d", phase).isFalse();
        }
    }

    @Test
    void coarseTimedDurationTotalsCountWholeTicks() {
        TickingClock clock = new TickingClock(TICK);
        CircuitBreaker cb = CircuitBreaker.of("totals", config(Duration.ofSeconds(60)).build(), clock);
        clock.time.setNanoTime(1_000 * TICK + 1);
        slow(cb, clock.time, 3 * TICK + 5); // crosses three tick boundaries
        slow(cb, clock.time, 1_000);        // within one tick: measures zero
        assertThat(cb.metrics().totalSuccessfulCallsNanos()).isEqualTo(3 * TICK);
        assertThat(cb.metrics().totalSuccessfulCalls()).isEqualTo(2);
    }

    @Test
    void exactlyTimedDurationTotalsAreExact() {
        TickingClock clock = new TickingClock(TICK);
        CircuitBreaker cb = CircuitBreaker.of("totals", config(Duration.ofMillis(500)).build(), clock);
        clock.time.setNanoTime(1_000 * TICK + 1);
        slow(cb, clock.time, 3 * TICK + 5);
        slow(cb, clock.time, 1_000);
        assertThat(cb.metrics().totalSuccessfulCallsNanos()).isEqualTo(3 * TICK + 5 + 1_000);
    }

    @Test
    void anAsynchronousCallIsTimedTheSameWay() {
        ManualClock clock = new ManualClock();
        CircuitBreaker cb = CircuitBreaker.of("async", config(Duration.ofSeconds(60)).build(), clock);
        CompletableFuture<String> exactlyAtThreshold = new CompletableFuture<>();
        cb.callAsync(() -> exactlyAtThreshold);
        clock.advanceNanos(MINUTE);
        exactlyAtThreshold.complete("ok");
        CompletableFuture<String> over = new CompletableFuture<>();
        cb.callAsync(() -> over);
        clock.advanceNanos(MINUTE + 1);
        over.complete("ok");
        assertThat(cb.metrics().slowCalls()).isEqualTo(1);
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(2);
    }
}

package dev.resilience.circuitbreaker;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import dev.resilience.core.ManualClock;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random outcome sequences (and, for TIME_BASED, random time steps including backwards) against a plain reference
 * model: the breaker's counts and its open/closed decision must match the model's at every step.
 */
class SlidingWindowPropertyTest {

    private static final Duration SLOW = Duration.ofSeconds(1);

    /** Runs one call with outcome 0..3 (bit 0 = slow, bit 1 = failed); slow calls take 2 s of manual time. */
    private static void call(CircuitBreaker cb, ManualClock clock, int outcome) {
        try {
            cb.call(() -> {
                if ((outcome & 1) != 0) {
                    clock.advance(SLOW.multipliedBy(2));
                }
                if ((outcome & 2) != 0) {
                    throw new IOException("fail");
                }
                return "ok";
            });
        } catch (IOException expected) {
            // a recorded failure
        }
    }

    private static boolean opens(long buffered, long failed, long slow, int minimumCalls, float failureThreshold, float slowThreshold) {
        if (buffered == 0 || buffered < minimumCalls) {
            return false;
        }
        return failed * 100f / buffered >= failureThreshold || slow * 100f / buffered >= slowThreshold;
    }

    @Property(tries = 300)
    void countWindowMatchesAListOfTheLastCalls(
            @ForAll @Size(max = 120) List<@IntRange(min = 0, max = 3) Integer> outcomes,
            @ForAll @IntRange(min = 1, max = 20) int windowSize,
            @ForAll @IntRange(min = 1, max = 25) int minimumCalls,
            @ForAll @IntRange(min = 1, max = 100) int failureThreshold,
            @ForAll @IntRange(min = 1, max = 100) int slowThreshold) {
        ManualClock clock = new ManualClock();
        CircuitBreaker cb = CircuitBreaker.of("p", CircuitBreakerConfig.builder().slidingWindowSize(windowSize)
                .minimumNumberOfCalls(minimumCalls).failureRateThreshold(failureThreshold)
                .slowCallRateThreshold(slowThreshold).slowCallDurationThreshold(SLOW).build(), clock);
        int effectiveMinimum = Math.min(minimumCalls, windowSize);
        Deque<Integer> model = new ArrayDeque<>();
        for (int outcome : outcomes) {
            call(cb, clock, outcome);
            model.addLast(outcome);
            if (model.size() > windowSize) {
                model.removeFirst();
            }
            long buffered = model.size();
            long failed = model.stream().filter(o -> (o & 2) != 0).count();
            long slow = model.stream().filter(o -> (o & 1) != 0).count();
            long slowFailed = model.stream().filter(o -> o == 3).count();
            CircuitBreakerMetrics m = cb.metrics();
            assertThat(m.bufferedCalls()).isEqualTo(buffered);
            assertThat(m.failedCalls()).isEqualTo(failed);
            assertThat(m.slowCalls()).isEqualTo(slow);
            assertThat(m.slowFailedCalls()).isEqualTo(slowFailed);
            boolean open = opens(buffered, failed, slow, effectiveMinimum, failureThreshold, slowThreshold);
            assertThat(cb.state()).isEqualTo(open ? State.OPEN : State.CLOSED);
            if (open) {
                return;
            }
        }
    }

    @Property(tries = 300)
    void timeWindowMatchesAMapOfSecondsToCounts(
            @ForAll @Size(max = 120) List<@IntRange(min = 0, max = 4 * 81 - 1) Integer> steps,
            @ForAll @IntRange(min = 1, max = 6) int windowSeconds,
            @ForAll @IntRange(min = 1, max = 30) int minimumCalls,
            @ForAll @IntRange(min = 1, max = 100) int failureThreshold,
            @ForAll @IntRange(min = 1, max = 100) int slowThreshold) {
        ManualClock clock = new ManualClock();
        clock.setNanoTime(Duration.ofSeconds(1000).toNanos());
        long origin = clock.nanoTime();
        CircuitBreaker cb = CircuitBreaker.of("p", CircuitBreakerConfig.builder().slidingWindowType(SlidingWindowType.TIME_BASED)
                .slidingWindowSize(windowSeconds).minimumNumberOfCalls(minimumCalls).failureRateThreshold(failureThreshold)
                .slowCallRateThreshold(slowThreshold).slowCallDurationThreshold(SLOW).build(), clock);
        TreeMap<Long, long[]> model = new TreeMap<>();
        long latest = 0;
        for (int step : steps) {
            int outcome = step % 4;
            long deltaMillis = (step / 4 - 40) * 100L; // -4 s .. +4 s
            clock.setNanoTime(clock.nanoTime() + deltaMillis * 1_000_000L);
            call(cb, clock, outcome);
            long second = Math.floorDiv(clock.nanoTime() - origin, 1_000_000_000L);
            latest = Math.max(latest, second);
            model.computeIfAbsent(latest, s -> new long[4])[outcome]++;
            long[] counts = new long[4];
            for (Map.Entry<Long, long[]> e : model.tailMap(latest - windowSeconds, false).entrySet()) {
                for (int c = 0; c < 4; c++) {
                    counts[c] += e.getValue()[c];
                }
            }
            long buffered = counts[0] + counts[1] + counts[2] + counts[3];
            long failed = counts[2] + counts[3];
            long slow = counts[1] + counts[3];
            boolean open = opens(buffered, failed, slow, minimumCalls, failureThreshold, slowThreshold);
            assertThat(cb.state()).isEqualTo(open ? State.OPEN : State.CLOSED);
            if (open) {
                return;
            }
            CircuitBreakerMetrics m = cb.metrics();
            assertThat(m.bufferedCalls()).isEqualTo(buffered);
            assertThat(m.failedCalls()).isEqualTo(failed);
            assertThat(m.slowCalls()).isEqualTo(slow);
            assertThat(m.slowFailedCalls()).isEqualTo(counts[3]);
        }
    }
}

package dev.resilience.ratelimiter;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changing the limit while callers hold reservations of later periods: no period admits more than the limit in
 * force, counting both the reserved calls that run in it and the free permits it hands out.
 */
class RateLimiterLimitChangeTest {

    private static final Duration PERIOD = Duration.ofSeconds(1);
    private static final long PERIOD_NANOS = PERIOD.toNanos();

    private final ManualClock clock = new ManualClock();
    /** Admissions by period number (time / period): every period here begins on a whole second. */
    private final Map<Long, Integer> admitted = new TreeMap<>();

    private void admit() {
        admitted.merge(clock.nanoTime() / PERIOD_NANOS, 1, Integer::sum);
    }

    private CompletableFuture<Object> reserveAsync(RateLimiter limiter) {
        return limiter.callAsync(() -> {
            admit();
            return CompletableFuture.<Object>completedFuture("ran");
        }).toCompletableFuture();
    }

    @Test
    void raisingTheLimitWithPeriodsReservedAheadNeverAdmitsMoreThanTheNewLimitInAnyPeriod() {
        RateLimiter limiter = RateLimiter.of("raised", RateLimiterConfig.builder().limitForPeriod(2)
                .limitRefreshPeriod(PERIOD).timeoutDuration(Duration.ofSeconds(10)).build(), clock, Runnable::run);
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(reserveAsync(limiter)); // 2 run now, 8 reserve periods 1 to 4
        }
        limiter.changeLimitForPeriod(5);
        limiter.changeTimeoutDuration(Duration.ZERO);

        for (int second = 1; second <= 6; second++) {
            clock.advance(PERIOD);
            while (limiter.acquirePermission()) {
                admit();
            }
        }

        assertThat(calls).allMatch(call -> call.isDone() && !call.isCompletedExceptionally());
        // Periods 1 to 3 are full of calls reserved at 2 per period and run as planned; the last reserved period
        // (4) takes its 2 reserved calls and 3 more; from then on 5.
        assertThat(admitted.keySet()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(admitted.values()).containsExactly(2, 2, 2, 2, 5, 5, 5);
    }

    @Test
    void loweringTheLimitWithNothingReservedTakesEffectAtTheNextPeriod() {
        RateLimiter limiter = RateLimiter.of("lowered", RateLimiterConfig.builder().limitForPeriod(5)
                .limitRefreshPeriod(PERIOD).timeoutDuration(Duration.ZERO).build(), clock, Runnable::run);
        assertThat(Admissions.admitted(limiter, 10)).isEqualTo(5);
        limiter.changeLimitForPeriod(2);
        clock.advance(PERIOD);
        assertThat(Admissions.admitted(limiter, 10)).isEqualTo(2);
        limiter.changeLimitForPeriod(4);
        clock.advance(PERIOD);
        assertThat(Admissions.admitted(limiter, 10)).isEqualTo(4);
    }

    /**
     * Random steps, each on a whole second: reserve ahead (asynchronous calls with a timeout), take free permits
     * (timeout 0), change the limit. A period may admit at most the largest limit in force while its permits could
     * have been handed out: from the earliest reservation that could reach it (one timeout before it) to its end. A
     * raised limit therefore never lets a period admit more than the new limit.
     */
    @Test
    void randomReservationsAndLimitChangesNeverAdmitMoreThanTheLimitInForceInAnyPeriod() {
        for (long seed = 1; seed <= 200; seed++) {
            runRandomly(seed);
        }
    }

    private void runRandomly(long seed) {
        Random random = new Random(seed);
        admitted.clear();
        int timeoutPeriods = 1 + random.nextInt(4);
        int limit = 1 + random.nextInt(6);
        RateLimiter limiter = RateLimiter.of("random-" + seed, RateLimiterConfig.builder().limitForPeriod(limit)
                .limitRefreshPeriod(PERIOD).timeoutDuration(PERIOD.multipliedBy(timeoutPeriods)).build(), clock, Runnable::run);
        long first = clock.nanoTime() / PERIOD_NANOS;
        int steps = 40;
        int[] limitAt = new int[steps + timeoutPeriods + 2]; // the largest limit in force during each period
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            // a reservation made now, at the limit now in force, may reach any period up to one timeout ahead
            for (int p = step; p <= step + timeoutPeriods + 1; p++) {
                limitAt[p] = Math.max(limitAt[p], limit);
            }
            int actions = 1 + random.nextInt(4);
            for (int a = 0; a < actions; a++) {
                switch (random.nextInt(3)) {
                    case 0 -> {
                        limiter.changeTimeoutDuration(PERIOD.multipliedBy(timeoutPeriods));
                        for (int n = random.nextInt(12); n > 0; n--) {
                            calls.add(reserveAsync(limiter));
                        }
                    }
                    case 1 -> {
                        limiter.changeTimeoutDuration(Duration.ZERO);
                        for (int n = random.nextInt(8); n > 0; n--) {
                            if (limiter.acquirePermission()) {
                                admit();
                            }
                        }
                    }
                    default -> {
                        limit = 1 + random.nextInt(8);
                        limiter.changeLimitForPeriod(limit);
                        // a limit set now may apply to any period a reservation made from now on can reach
                        for (int p = step; p <= step + timeoutPeriods + 1 && p < limitAt.length; p++) {
                            limitAt[p] = Math.max(limitAt[p], limit);
                        }
                    }
                }
            }
            clock.advance(PERIOD);
        }
        for (int p = steps; p < limitAt.length; p++) {
            limitAt[p] = Math.max(limitAt[p], limit);
        }
        clock.advance(PERIOD.multipliedBy(timeoutPeriods + 1)); // every reserved call has run

        assertThat(calls).as("seed %d", seed).allMatch(CompletableFuture::isDone);
        for (Map.Entry<Long, Integer> period : admitted.entrySet()) {
            int index = (int) (period.getKey() - first);
            int bound = index < limitAt.length ? limitAt[index] : limit;
            assertThat(period.getValue()).as("seed %d, period %d, limits %s, admitted %s", seed, index,
                    java.util.Arrays.toString(limitAt), admitted).isLessThanOrEqualTo(bound);
        }
    }
}

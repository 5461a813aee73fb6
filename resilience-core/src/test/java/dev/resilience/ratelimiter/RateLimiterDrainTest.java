package dev.resilience.ratelimiter;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RateLimiter#drainPermissions()}: the current period is emptied, later periods and reservations stand. */
class RateLimiterDrainTest {

    private static final Duration PERIOD = Duration.ofSeconds(1);

    private final ManualClock clock = new ManualClock();

    private RateLimiter limiter(int limit, Duration timeout) {
        return RateLimiter.of("partner", RateLimiterConfig.builder().limitForPeriod(limit).limitRefreshPeriod(PERIOD)
                .timeoutDuration(timeout).build(), clock, Runnable::run);
    }

    @Test
    void drainingRefusesEveryCallForTheRestOfThePeriod() {
        RateLimiter limiter = limiter(5, Duration.ZERO);
        assertThat(Admissions.admitted(limiter, 2)).isEqualTo(2);

        limiter.drainPermissions();

        assertThat(limiter.metrics().availablePermissions()).isZero();
        clock.advance(PERIOD.minusNanos(1));
        assertThat(Admissions.admitted(limiter, 3)).isZero();
    }

    @Test
    void theNextPeriodOpensWithItsFullLimit() {
        RateLimiter limiter = limiter(5, Duration.ZERO);
        limiter.drainPermissions();

        clock.advance(PERIOD);

        assertThat(limiter.metrics().availablePermissions()).isEqualTo(5);
        assertThat(Admissions.admitted(limiter, 10)).isEqualTo(5);
        clock.advance(PERIOD);
        assertThat(Admissions.admitted(limiter, 10)).isEqualTo(5);
    }

    @Test
    void drainedPermitsAreNotCountedAsPermittedCalls() {
        RateLimiter limiter = limiter(5, Duration.ZERO);
        assertThat(Admissions.admitted(limiter, 2)).isEqualTo(2);

        limiter.drainPermissions();
        clock.advance(PERIOD);
        assertThat(Admissions.admitted(limiter, 1)).isEqualTo(1);

        assertThat(limiter.metrics().permittedCalls()).isEqualTo(3);
        assertThat(limiter.metrics().rejectedCalls()).isZero();
    }

    @Test
    void reservationsAlreadyMadeStandAndRunInTheirPeriods() {
        RateLimiter limiter = limiter(2, Duration.ofSeconds(10));
        assertThat(Admissions.admitted(limiter, 2)).isEqualTo(2);
        List<Long> startedAtMillis = new ArrayList<>();
        List<CompletableFuture<Object>> reserved = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // two in period 1, one in period 2
            reserved.add(limiter.callAsync(() -> {
                startedAtMillis.add(clock.nanoTime() / 1_000_000);
                return CompletableFuture.<Object>completedFuture("ran");
            }).toCompletableFuture());
        }

        limiter.drainPermissions();
        clock.advance(PERIOD);
        assertThat(startedAtMillis).containsExactly(1000L, 1000L);
        limiter.changeTimeoutDuration(Duration.ZERO);
        assertThat(limiter.acquirePermission()).as("period 1 is full of reservations").isFalse();
        clock.advance(PERIOD);

        assertThat(startedAtMillis).containsExactly(1000L, 1000L, 2000L);
        assertThat(reserved).allSatisfy(call -> assertThat(call).isCompletedWithValue("ran"));
        assertThat(limiter.acquirePermission()).as("period 2 keeps the permit its reservation left").isTrue();
        assertThat(limiter.acquirePermission()).isFalse();
    }

    @Test
    void drainingAnIdleLimiterStartsAnEmptyPeriodNow() {
        RateLimiter limiter = limiter(3, Duration.ZERO);
        clock.advance(PERIOD.multipliedBy(3)); // unused: the timer marks it idle
        clock.advance(Duration.ofMillis(300));

        limiter.drainPermissions();

        assertThat(limiter.metrics().availablePermissions()).isZero();
        assertThat(limiter.acquirePermission()).isFalse();
        clock.advance(PERIOD.minusNanos(1));
        assertThat(limiter.acquirePermission()).isFalse();
        clock.advance(Duration.ofNanos(1));
        assertThat(Admissions.admitted(limiter, 5)).isEqualTo(3);
    }

    @Test
    void drainingAnEmptyPeriodChangesNothing() {
        RateLimiter limiter = limiter(1, Duration.ZERO);
        assertThat(limiter.acquirePermission()).isTrue();

        limiter.drainPermissions();
        limiter.drainPermissions();

        clock.advance(PERIOD);
        assertThat(Admissions.admitted(limiter, 3)).isEqualTo(1);
        assertThat(limiter.metrics().permittedCalls()).isEqualTo(2);
    }
}

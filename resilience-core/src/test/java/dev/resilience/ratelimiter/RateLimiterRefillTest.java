package dev.resilience.ratelimiter;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RateLimiter#refill()}: the next period starts at once, with its full limit. */
class RateLimiterRefillTest {

    private static final Duration PERIOD = Duration.ofSeconds(1);

    private final ManualClock clock = new ManualClock();

    private RateLimiter limiter(int limit, Duration timeout) {
        return RateLimiter.of("partner", RateLimiterConfig.builder().limitForPeriod(limit).limitRefreshPeriod(PERIOD)
                .timeoutDuration(timeout).build(), clock, Runnable::run);
    }

    @Test
    void aSpentPeriodAdmitsTheFullLimitAgainWithoutTimeMoving() {
        RateLimiter limiter = limiter(3, Duration.ZERO);
        assertThat(Admissions.admitted(limiter, 5)).isEqualTo(3);

        limiter.refill();

        assertThat(limiter.metrics().availablePermissions()).isEqualTo(3);
        assertThat(Admissions.admitted(limiter, 5)).isEqualTo(3);
    }

    @Test
    void aDrainedLimiterIsFullAgain() {
        RateLimiter limiter = limiter(3, Duration.ZERO);
        limiter.drainPermissions();

        limiter.refill();

        assertThat(Admissions.admitted(limiter, 5)).isEqualTo(3);
    }

    @Test
    void theRefilledPeriodLastsAFullPeriodFromTheRefill() {
        RateLimiter limiter = limiter(3, Duration.ZERO);
        clock.advance(Duration.ofMillis(700));
        assertThat(Admissions.admitted(limiter, 3)).isEqualTo(3);

        limiter.refill();
        assertThat(Admissions.admitted(limiter, 3)).isEqualTo(3);
        clock.advance(Duration.ofMillis(999));

        assertThat(Admissions.admitted(limiter, 1)).as("still the refilled period").isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(Admissions.admitted(limiter, 5)).isEqualTo(3);
    }

    @Test
    void anUnusedLimiterStaysFull() {
        RateLimiter limiter = limiter(3, Duration.ZERO);

        limiter.refill();
        limiter.refill();

        assertThat(limiter.metrics().availablePermissions()).isEqualTo(3);
        assertThat(Admissions.admitted(limiter, 5)).isEqualTo(3);
    }

    @Test
    void aFullPeriodIsReplacedByAFreshOneStartingAtTheRefill() {
        RateLimiter limiter = limiter(3, Duration.ZERO);
        assertThat(Admissions.admitted(limiter, 1)).isEqualTo(1);
        clock.advance(Duration.ofMillis(1000)); // the next period opens, full
        clock.advance(Duration.ofMillis(700));
        assertThat(limiter.metrics().availablePermissions()).isEqualTo(3);

        limiter.refill();
        assertThat(Admissions.admitted(limiter, 3)).isEqualTo(3);
        clock.advance(Duration.ofMillis(300));

        assertThat(Admissions.admitted(limiter, 1)).as("the fresh period began at the refill, not 700 ms before").isZero();
        clock.advance(Duration.ofMillis(700));
        assertThat(Admissions.admitted(limiter, 5)).isEqualTo(3);
    }

    @Test
    void aCallerWaitingForAReservedPermitKeepsItAndRunsWhenItsWaitEnds() {
        RateLimiter limiter = limiter(2, Duration.ofSeconds(5));
        assertThat(Admissions.admitted(limiter, 2)).isEqualTo(2);
        CompletableFuture<String> waiting = limiter.callAsync(() -> CompletableFuture.completedFuture("late"))
                .toCompletableFuture();

        limiter.refill();

        limiter.changeTimeoutDuration(Duration.ZERO); // count free permits only (a ManualClock sleeper moves time)
        assertThat(Admissions.admitted(limiter, 5)).as("the refilled period is not shared with the waiter").isEqualTo(2);
        assertThat(waiting).isNotDone();
        clock.advance(PERIOD);
        assertThat(waiting).isCompletedWithValue("late");
    }
}

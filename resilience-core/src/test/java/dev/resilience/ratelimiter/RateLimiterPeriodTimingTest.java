package dev.resilience.ratelimiter;

import dev.resilience.core.Clock;
import dev.resilience.core.CountingClock;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.resilience.ratelimiter.Admissions.admitted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** How periods are timed: opened by the timer or on demand, never ended early, and no clock read for a free permit. */
class RateLimiterPeriodTimingTest {

    private static RateLimiter limiter(Clock clock, int limit, Duration period, Duration timeout) {
        return RateLimiter.of("timing", RateLimiterConfig.builder().limitForPeriod(limit).limitRefreshPeriod(period)
                .timeoutDuration(timeout).build(), clock);
    }

    @Test
    void aCallThatFindsAFreePermitReadsNoClock() {
        CountingClock clock = new CountingClock();
        RateLimiter limiter = limiter(clock, 1_000, Duration.ofSeconds(1), Duration.ZERO);
        clock.nanoTimeReads.set(0);

        assertThat(admitted(limiter, 500)).isEqualTo(500);
        for (int i = 0; i < 500; i++) {
            assertThat(limiter.call(() -> "ok")).isEqualTo("ok");
        }

        assertThat(clock.nanoTimeReads).hasValue(0);
    }

    @Test
    void aLateTimerNeverOverAdmitsAndTheLatePeriodLastsAFullPeriodFromItsStart() {
        HeldTimerClock clock = new HeldTimerClock();
        RateLimiter limiter = limiter(clock, 3, Duration.ofSeconds(1), Duration.ZERO);
        assertThat(limiter.acquirePermission()).isTrue();
        clock.setMillis(1_500); // the first period is due, but its timer has not run
        assertThat(limiter.acquirePermission()).isTrue();
        assertThat(limiter.acquirePermission()).isTrue(); // still the first period's permits: 3 in all

        clock.runHeldTasks(); // the late timer opens the second period at 1.5 s
        assertThat(admitted(limiter, 10)).isEqualTo(3);
        clock.setMillis(2_499);
        assertThat(admitted(limiter, 10)).isZero();
        clock.setMillis(2_500); // a full period after the late start; its timer is held, a caller opens the next one
        assertThat(admitted(limiter, 10)).isEqualTo(3);
        assertThat(limiter.metrics().permittedCalls()).isEqualTo(9);
    }

    @Test
    void anUnusedLimiterLeavesNoPendingTask() {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = limiter(clock, 5, Duration.ofSeconds(1), Duration.ZERO);
        assertThat(clock.pendingTasks()).isEqualTo(1);
        assertThat(admitted(limiter, 2)).isEqualTo(2);

        clock.advance(Duration.ofSeconds(1)); // the used period ends: the timer opens the next one
        assertThat(clock.pendingTasks()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1)); // the next one went unused: the timer stops

        assertThat(clock.pendingTasks()).isZero();
        assertThat(limiter.metrics().availablePermissions()).isEqualTo(5);
    }

    @Test
    void theFirstCallerAfterIdlenessStartsAFreshPeriod() {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = limiter(clock, 5, Duration.ofSeconds(1), Duration.ZERO);
        clock.advance(Duration.ofMillis(3_700)); // idle since 1 s

        assertThat(admitted(limiter, 10)).isEqualTo(5);
        assertThat(clock.pendingTasks()).isEqualTo(1); // the timer is armed again, for 4.7 s
        clock.advance(Duration.ofMillis(999));
        assertThat(admitted(limiter, 10)).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(admitted(limiter, 10)).isEqualTo(5);
    }

    @Test
    void aCallerOpeningADuePeriodReplacesThePendingTimer() {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = limiter(clock, 2, Duration.ofSeconds(1), Duration.ZERO);
        assertThat(admitted(limiter, 2)).isEqualTo(2);
        clock.setNanoTime(Duration.ofMillis(1_200).toNanos()); // time passes without running the due timer

        assertThat(admitted(limiter, 5)).isEqualTo(2); // the caller who found no permit opened the period
        assertThat(clock.pendingTasks()).isEqualTo(1); // its timer replaced the overdue one

        clock.advance(Duration.ofMillis(999));
        assertThat(admitted(limiter, 5)).isZero();
        clock.advance(Duration.ofMillis(1)); // 2.2 s: the timer of the period opened at 1.2 s
        assertThat(limiter.metrics().availablePermissions()).isEqualTo(2);
    }

    @Test
    void aWaiterNeverRunsBeforeThePeriodOfItsPermitOpened() throws Exception {
        HeldTimerClock clock = new HeldTimerClock(); // no timer runs: periods open late, by their waiters
        RateLimiter limiter = limiter(clock, 1, Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(limiter.acquirePermission()).isTrue();
        clock.setMillis(500);
        CopyOnWriteArrayList<String> ran = new CopyOnWriteArrayList<>();
        Thread first = new Thread(() -> limiter.call(() -> ran.add("first@" + clock.nanoTime() / 1_000_000)));
        first.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> limiter.metrics().waitingCalls() == 1);
        Thread second = new Thread(() -> limiter.call(() -> ran.add("second@" + clock.nanoTime() / 1_000_000)));
        second.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> limiter.metrics().waitingCalls() == 2);
        assertThat(clock.sleptMillis()).isEqualTo(Map.of(500L, 1, 1_500L, 1)); // due at 1 s and 2 s as things stand

        clock.setMillis(1_700); // the first waiter wakes late and opens period 1 itself, at 1.7 s
        await().atMost(10, TimeUnit.SECONDS).until(() -> ran.size() == 1);
        clock.setMillis(2_000); // the second waiter wakes as planned, but period 2 is due only at 2.7 s
        await().atMost(10, TimeUnit.SECONDS).until(() -> clock.sleptMillis().containsKey(700L));
        assertThat(ran).containsExactly("first@1700");

        clock.setMillis(2_700);
        second.join(10_000);
        first.join(10_000);
        assertThat(ran).containsExactly("first@1700", "second@2700");
        assertThat(limiter.metrics().waitingCalls()).isZero();
    }

    @Test
    void periodsShorterThanOneMillisecondScheduleNothing() {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = limiter(clock, 2, Duration.ofNanos(999_999), Duration.ofMillis(5));

        for (int period = 0; period < 3; period++) {
            assertThat(admitted(limiter, 2)).isEqualTo(2);
            clock.advanceNanos(999_999);
        }
        assertThat(admitted(limiter, 5)).isEqualTo(5); // 2 now, then 3 sleeping for the next 2 periods

        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void aOneMillisecondPeriodHasItsTimer() {
        ManualClock clock = new ManualClock();
        limiter(clock, 2, Duration.ofMillis(1), Duration.ZERO);

        assertThat(clock.pendingTasks()).isEqualTo(1);
    }

    @Test
    void availablePermissionsShowsTheRefreshOfADuePeriodNotYetOpened() {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = limiter(clock, 4, Duration.ofSeconds(1), Duration.ZERO);
        assertThat(admitted(limiter, 3)).isEqualTo(3);
        assertThat(limiter.metrics().availablePermissions()).isEqualTo(1);
        clock.setNanoTime(Duration.ofSeconds(1).toNanos()); // due, timer not run

        assertThat(limiter.metrics().availablePermissions()).isEqualTo(4);
    }
}

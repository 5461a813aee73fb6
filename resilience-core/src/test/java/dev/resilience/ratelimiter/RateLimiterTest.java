package dev.resilience.ratelimiter;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.resilience.ratelimiter.Admissions.admitted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RateLimiterTest {

    private final ManualClock clock = new ManualClock();

    private RateLimiter limiter(int limit, Duration period, Duration timeout) {
        return RateLimiter.of("api", RateLimiterConfig.builder().limitForPeriod(limit).limitRefreshPeriod(period)
                .timeoutDuration(timeout).build(), clock);
    }

    @Test
    void kindNameAndFactories() {
        RateLimiter r = RateLimiter.ofDefaults("d");
        assertThat(r.kind()).isEqualTo("ratelimiter");
        assertThat(r.name()).isEqualTo("d");
        assertThat(r.config()).isSameAs(RateLimiterConfig.defaults());
        assertThat(RateLimiter.of("e", RateLimiterConfig.defaults()).metrics().availablePermissions()).isEqualTo(50);
    }

    @Test
    void admitsExactlyTheLimitInEachPeriod() {
        RateLimiter r = limiter(5, Duration.ofSeconds(1), Duration.ZERO);
        for (int period = 0; period < 4; period++) {
            assertThat(admitted(r, 20)).isEqualTo(5);
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(r.metrics().permittedCalls()).isEqualTo(20);
        assertThat(r.metrics().rejectedCalls()).isEqualTo(60);
    }

    @Test
    void unusedPermitsDoNotAccumulateBeyondTheLimit() {
        RateLimiter r = limiter(3, Duration.ofMillis(100), Duration.ZERO);
        clock.advance(Duration.ofSeconds(5));
        assertThat(r.metrics().availablePermissions()).isEqualTo(3);
        assertThat(admitted(r, 10)).isEqualTo(3);
    }

    @Test
    void theFirstPeriodBeginsAtCreation() {
        clock.advance(Duration.ofMillis(700));
        RateLimiter r = limiter(1, Duration.ofSeconds(1), Duration.ZERO);
        assertThat(r.acquirePermission()).isTrue();
        clock.advance(Duration.ofMillis(999));
        assertThat(r.acquirePermission()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(r.acquirePermission()).isTrue();
    }

    @Test
    void callerWaitsForTheNextPeriodWithinTheTimeout() {
        RateLimiter r = limiter(2, Duration.ofSeconds(1), Duration.ofSeconds(1));
        clock.advance(Duration.ofMillis(300));
        assertThat(r.call(() -> "a")).isEqualTo("a");
        assertThat(r.call(() -> "b")).isEqualTo("b");
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofMillis(300).toNanos());
        List<Long> runAtMillis = new ArrayList<>();
        r.call(() -> runAtMillis.add(clock.nanoTime() / 1_000_000));
        assertThat(runAtMillis).containsExactly(1000L); // slept 700 ms on the manual clock
        assertThat(r.metrics().availablePermissions()).isEqualTo(1);
    }

    @Test
    void reservationsFillLaterPeriodsInOrder() {
        RateLimiter r = limiter(2, Duration.ofSeconds(1), Duration.ofSeconds(10));
        List<Long> runAtMillis = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            r.call(() -> runAtMillis.add(clock.nanoTime() / 1_000_000));
        }
        assertThat(runAtMillis).containsExactly(0L, 0L, 1000L, 1000L, 2000L, 2000L, 3000L);
    }

    @Test
    void rejectsBeyondTheTimeoutWithRetryAfterAndConsumesNothing() {
        RateLimiter r = limiter(1, Duration.ofSeconds(1), Duration.ofMillis(500));
        clock.advance(Duration.ofMillis(200));
        assertThat(r.acquirePermission()).isTrue();
        AtomicInteger ran = new AtomicInteger();
        RequestNotPermittedException e = catchThrowableOfType(RequestNotPermittedException.class, () -> r.call(ran::incrementAndGet));
        assertThat(ran).hasValue(0);
        assertThat(e.retryAfter()).contains(Duration.ofMillis(800));
        assertThat(e.instanceName()).isEqualTo("api");
        assertThat(e).hasMessageContaining("'api'").hasMessageContaining("timeout");
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofMillis(200).toNanos());
        // the rejected caller reserved nothing: the next period still has its full limit
        clock.advance(Duration.ofMillis(800));
        assertThat(r.metrics().availablePermissions()).isEqualTo(1);
        assertThat(r.acquirePermission()).isTrue();
    }

    @Test
    void zeroTimeoutNeverWaits() {
        RateLimiter r = limiter(1, Duration.ofSeconds(1), Duration.ZERO);
        assertThat(r.acquirePermission()).isTrue();
        assertThatThrownBy(() -> r.call(() -> "x")).isInstanceOf(RequestNotPermittedException.class);
        assertThat(clock.nanoTime()).isZero();
        assertThat(r.metrics().waitingCalls()).isZero();
    }

    @Test
    void timeoutExactlyReachingTheNextPeriodWaits() {
        RateLimiter r = limiter(1, Duration.ofSeconds(1), Duration.ofMillis(600));
        clock.advance(Duration.ofMillis(400));
        assertThat(r.acquirePermission()).isTrue();
        assertThat(r.acquirePermission()).isTrue(); // waits exactly 600 ms
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void limitChangeTakesEffectFromTheNextPeriodAndKeepsRefreshing() {
        RateLimiter r = limiter(3, Duration.ofSeconds(1), Duration.ZERO);
        assertThat(r.acquirePermission()).isTrue();
        r.changeLimitForPeriod(10);
        assertThat(r.config().limitForPeriod()).isEqualTo(10);
        assertThat(r.metrics().limitForPeriod()).isEqualTo(10);
        assertThat(admitted(r, 20)).isEqualTo(2); // the current period keeps what it had
        for (int period = 1; period <= 3; period++) {
            clock.advance(Duration.ofSeconds(1));
            assertThat(admitted(r, 20)).isEqualTo(10);
        }
        r.changeLimitForPeriod(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(admitted(r, 20)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(admitted(r, 20)).isEqualTo(1);
    }

    @Test
    void timeoutChangeAppliesToLaterCallers() {
        RateLimiter r = limiter(1, Duration.ofSeconds(1), Duration.ZERO);
        assertThat(r.acquirePermission()).isTrue();
        assertThat(r.acquirePermission()).isFalse();
        r.changeTimeoutDuration(Duration.ofSeconds(2));
        assertThat(r.config().timeoutDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(r.config().limitForPeriod()).isEqualTo(1);
        assertThat(r.acquirePermission()).isTrue();
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void runTimeChangesAreValidated() {
        RateLimiter r = limiter(1, Duration.ofSeconds(1), Duration.ZERO);
        assertThatThrownBy(() -> r.changeLimitForPeriod(0)).isInstanceOf(InvalidConfigException.class).hasMessageContaining("limitForPeriod");
        assertThatThrownBy(() -> r.changeTimeoutDuration(Duration.ofSeconds(-1))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("timeoutDuration");
        assertThatThrownBy(() -> r.changeTimeoutDuration(null)).isInstanceOf(InvalidConfigException.class);
        assertThat(r.config().limitForPeriod()).isEqualTo(1);
        assertThat(r.config().timeoutDuration()).isZero();
    }

    @Test
    void availablePermissionsNeverGoesNegativeWhileReservationsAreOutstanding() {
        RateLimiter r = limiter(1, Duration.ofSeconds(1), Duration.ofSeconds(5));
        // Reservations of later periods taken through a clock that does not move while sleeping
        // are covered in RateLimiterConcurrencyTest; here: after using the period's permit, 0 is shown.
        assertThat(r.acquirePermission()).isTrue();
        assertThat(r.metrics().availablePermissions()).isZero();
    }

    @Test
    void checkedExceptionOfThePermittedCallPassesThrough() {
        RateLimiter r = limiter(1, Duration.ofSeconds(1), Duration.ZERO);
        java.io.IOException failure = new java.io.IOException("x");
        assertThatThrownBy(() -> r.call(() -> {
            throw failure;
        })).isSameAs(failure);
    }

    @Test
    void interruptWhileWaitingRejectsTheCallAndRestoresTheFlag() {
        RateLimiter r = limiter(1, Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(r.acquirePermission()).isTrue();
        AtomicInteger ran = new AtomicInteger();
        Thread.currentThread().interrupt(); // the manual clock's sleep throws at once for an interrupted thread
        try {
            RequestNotPermittedException e = catchThrowableOfType(RequestNotPermittedException.class, () -> r.call(ran::incrementAndGet));
            assertThat(e).hasMessageContaining("interrupted");
            assertThat(e.retryAfter()).isEmpty();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(ran).hasValue(0);
        assertThat(r.metrics().rejectedCalls()).isEqualTo(1);
        assertThat(r.metrics().waitingCalls()).isZero();
        // the reserved permit of period 1 was consumed
        clock.advance(Duration.ofSeconds(1));
        assertThat(r.metrics().availablePermissions()).isZero();
    }

    @Test
    void eventsReportAcquiresAndRejections() {
        RateLimiter r = limiter(1, Duration.ofSeconds(1), Duration.ofMillis(100));
        List<RateLimiterEvent> events = new ArrayList<>();
        r.events().subscribe(events::add);
        r.acquirePermission();
        r.acquirePermission();
        assertThat(events).extracting(RateLimiterEvent::type).containsExactly("SUCCESSFUL_ACQUIRE", "FAILED_ACQUIRE");
        assertThat(events.get(0).kind()).isEqualTo("ratelimiter");
        assertThat(events.get(0).name()).isEqualTo("api");
        assertThat(events.get(0).epochMillis()).isEqualTo(clock.currentTimeMillis());
        assertThat(events.get(0).details()).containsEntry("waitDuration", Duration.ZERO);
        assertThat(events.get(1).details()).containsEntry("reason", "timeout").containsEntry("retryAfter", Duration.ofSeconds(1));
    }

    @Test
    void subPeriodMillisecondPeriodsWork() {
        RateLimiter r = limiter(2, Duration.ofNanos(1_000), Duration.ZERO);
        assertThat(admitted(r, 5)).isEqualTo(2);
        clock.advanceNanos(999);
        assertThat(admitted(r, 5)).isZero();
        clock.advanceNanos(1);
        assertThat(admitted(r, 5)).isEqualTo(2);
    }

    @Test
    void aSubMillisecondPeriodLastsUntilACallerFindsItDue() {
        RateLimiter r = limiter(2, Duration.ofNanos(1_000), Duration.ZERO);
        assertThat(r.acquirePermission()).isTrue();
        // No timer ends a sub-millisecond period: its leftover permit is still handed out long after it was due
        // (that period still admits only its limit), then the caller who finds none opens the next period.
        clock.advance(Duration.ofHours(1));
        assertThat(admitted(r, 5)).isEqualTo(3);
        assertThat(r.metrics().permittedCalls()).isEqualTo(4);
    }

    @Test
    void clockGoingBackwardsNeverCreatesPermits() {
        RateLimiter r = limiter(2, Duration.ofSeconds(1), Duration.ZERO);
        clock.advance(Duration.ofSeconds(10));
        assertThat(admitted(r, 5)).isEqualTo(2);
        clock.setNanoTime(Duration.ofSeconds(8).toNanos());
        assertThat(admitted(r, 5)).isZero();
    }
}

package dev.resilience;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadConfig;
import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.ManualClock;
import dev.resilience.core.ShutdownGate;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Durations longer than a {@code long} of nanoseconds holds (about 292 years) mean "practically for ever": every
 * setting that accepts them works at run time (no {@link ArithmeticException}, no wrap-around into "already
 * expired"), and the manual clock keeps such a far-off deadline far off.
 */
class FarFutureDurationTest {

    private static final Duration THOUSAND_YEARS = Duration.ofDays(365L * 1_000);

    private final ManualClock clock = new ManualClock();

    FarFutureDurationTest() {
        clock.advance(Duration.ofSeconds(1)); // a clock that has run a while: "now + forever" no longer fits a long
    }

    @Test
    void aThousandYearTimeoutHasNotExpiredAfterOneMillisecond() {
        Timeout timeout = Timeout.of("slow", TimeoutConfig.builder().timeoutDuration(THOUSAND_YEARS).build(), clock);
        CompletableFuture<String> downstream = new CompletableFuture<>();

        CompletableFuture<String> result = timeout.callAsync(() -> downstream).toCompletableFuture();
        clock.advance(Duration.ofMillis(1));

        assertThat(result).isNotDone();
        downstream.complete("late but fine");
        assertThat(result).isCompletedWithValue("late but fine");
    }

    @Test
    void aThousandYearBulkheadWaitHasNotExpiredAfterOneMillisecond() {
        Bulkhead bulkhead = Bulkhead.of("patient", BulkheadConfig.builder().maxConcurrentCalls(1)
                .maxWaitDuration(THOUSAND_YEARS).build(), clock);
        CompletableFuture<String> first = new CompletableFuture<>();
        bulkhead.callAsync(() -> first);
        AtomicInteger secondStarted = new AtomicInteger();

        CompletableFuture<String> second = bulkhead.<String>callAsync(() -> {
            secondStarted.incrementAndGet();
            return CompletableFuture.completedFuture("second");
        }).toCompletableFuture();
        clock.advance(Duration.ofMillis(1));

        assertThat(second).isNotDone();
        first.complete("first");
        assertThat(second).isCompletedWithValue("second");
        assertThat(secondStarted).hasValue(1);
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void aThousandYearRateLimiterTimeoutWaitsForTheNextPeriod() {
        RateLimiter limiter = RateLimiter.of("patient", RateLimiterConfig.builder().limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(THOUSAND_YEARS).build(), clock, Runnable::run);
        assertThat(limiter.acquirePermission()).isTrue();

        CompletableFuture<String> second = limiter.<String>callAsync(() -> CompletableFuture.completedFuture("second"))
                .toCompletableFuture();
        assertThat(second).isNotDone();
        clock.advance(Duration.ofSeconds(1));

        assertThat(second).isCompletedWithValue("second");
        limiter.changeTimeoutDuration(THOUSAND_YEARS);
        assertThat(limiter.acquirePermission()).isTrue(); // waits (on the manual clock: sleeps) until period 2
    }

    @Test
    void aRateLimiterPeriodAsLongAsANanosecondCountCanHoldNeverEndsAndAdvancingDoesNotSpin() {
        RateLimiter limiter = RateLimiter.of("once", RateLimiterConfig.builder().limitForPeriod(2)
                .limitRefreshPeriod(Duration.ofNanos(Long.MAX_VALUE)).timeoutDuration(Duration.ZERO).build(), clock);

        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            clock.advance(Duration.ofMillis(1));
            assertThat(limiter.acquirePermission()).isTrue();
            assertThat(limiter.acquirePermission()).isTrue();
            clock.advance(Duration.ofDays(365L * 100));
            assertThat(limiter.acquirePermission()).isFalse();
        });
    }

    @Test
    void aThousandYearRateLimiterPeriodIsRefusedByTheBuilderNamingTheSetting() {
        // A period is counted in nanoseconds; one longer than that can hold is refused when built, not at run time.
        assertThatThrownBy(() -> RateLimiterConfig.builder().limitRefreshPeriod(THOUSAND_YEARS))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("limitRefreshPeriod");
    }

    @Test
    void aThousandYearThreadPoolKeepAliveBuildsAPoolThatRunsCalls() throws Exception {
        ThreadPoolBulkhead bulkhead = ThreadPoolBulkhead.of("kept", ThreadPoolBulkheadConfig.builder()
                .coreThreadPoolSize(1).maxThreadPoolSize(2).queueCapacity(1).keepAliveDuration(THOUSAND_YEARS).build(), clock);
        try {
            assertThat(bulkhead.call(() -> "ran")).isEqualTo("ran");
        } finally {
            bulkhead.shutdownNow();
            assertThat(bulkhead.awaitTermination(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aThousandYearShutdownTimeoutDrainsTheCallsInFlight() throws Exception {
        ShutdownGate gate = new ShutdownGate();
        ThreadPoolBulkhead pool = ThreadPoolBulkhead.of("pool", ThreadPoolBulkheadConfig.builder()
                .coreThreadPoolSize(1).maxThreadPoolSize(1).queueCapacity(1).build(), clock);
        assertThat(gate.tryEnter()).isTrue();
        clock.schedule(gate::exit, Duration.ofSeconds(3).toNanos()); // the call in flight ends 3 s into the drain

        GracefulShutdown.Report report = GracefulShutdown.shutdown(gate, List.of(pool), THOUSAND_YEARS, clock);

        assertThat(report.inFlight()).isEqualTo(1);
        assertThat(report.finished()).isEqualTo(1);
        assertThat(report.abandoned()).isZero();
        assertThat(gate.isClosed()).isTrue();
        assertThat(pool.isShutdown()).isTrue();
        assertThat(pool.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aThousandYearDrainOfTheGateAloneWaitsForTheCallInFlight() throws Exception {
        ShutdownGate gate = new ShutdownGate();
        assertThat(gate.tryEnter()).isTrue();
        clock.schedule(gate::exit, Duration.ofMinutes(2).toNanos());
        gate.close();

        ShutdownGate.DrainResult result = gate.awaitDrained(THOUSAND_YEARS, clock);

        assertThat(result.finished()).isEqualTo(1);
        assertThat(result.abandoned()).isZero();
    }
}

package dev.resilience.ratelimiter;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterAsyncTest {

    private final ManualClock clock = new ManualClock();
    private final RateLimiter limiter = RateLimiter.of("async", RateLimiterConfig.builder().limitForPeriod(1)
            .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofSeconds(2)).build(), clock, Runnable::run);

    @Test
    void permittedCallStartsAtOnce() {
        AtomicInteger started = new AtomicInteger();
        CompletableFuture<String> result = limiter.<String>callAsync(() -> {
            started.incrementAndGet();
            return CompletableFuture.completedFuture("now");
        }).toCompletableFuture();
        assertThat(started).hasValue(1);
        assertThat(result).isCompletedWithValue("now");
    }

    @Test
    void callWithPermitInALaterPeriodIsScheduledForThatPeriodWithoutBlocking() {
        limiter.acquirePermission();
        clock.advance(Duration.ofMillis(250));
        List<Long> startedAtMillis = new ArrayList<>();
        CompletableFuture<String> second = limiter.<String>callAsync(() -> {
            startedAtMillis.add(clock.nanoTime() / 1_000_000);
            return CompletableFuture.completedFuture("second");
        }).toCompletableFuture();
        CompletableFuture<String> third = limiter.<String>callAsync(() -> {
            startedAtMillis.add(clock.nanoTime() / 1_000_000);
            return CompletableFuture.completedFuture("third");
        }).toCompletableFuture();
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofMillis(250).toNanos()); // nothing slept
        assertThat(startedAtMillis).isEmpty();
        assertThat(limiter.metrics().waitingCalls()).isZero();
        clock.advance(Duration.ofMillis(750));
        assertThat(startedAtMillis).containsExactly(1000L);
        assertThat(second).isCompletedWithValue("second");
        assertThat(third).isNotDone();
        clock.advance(Duration.ofSeconds(1));
        assertThat(startedAtMillis).containsExactly(1000L, 2000L);
        assertThat(third).isCompletedWithValue("third");
    }

    @Test
    void rejectionCompletesExceptionallyWithoutCallingTheSupplier() {
        limiter.acquirePermission();
        limiter.acquirePermission(); // reserves period 1
        limiter.acquirePermission(); // reserves period 2 (manual clock: each waited, time is now 2 s)
        limiter.changeTimeoutDuration(Duration.ZERO);
        assertThat(clock.pendingTasks()).isEqualTo(1); // the period timer
        AtomicInteger started = new AtomicInteger();
        CompletableFuture<Object> result = limiter.callAsync(() -> {
            started.incrementAndGet();
            return CompletableFuture.<Object>completedFuture("never");
        }).toCompletableFuture();
        assertThat(result).isCompletedExceptionally();
        assertThat(result.handle((v, t) -> t).join()).isInstanceOf(RequestNotPermittedException.class)
                .extracting(t -> ((RequestNotPermittedException) t).retryAfter().orElseThrow()).isEqualTo(Duration.ofSeconds(1));
        assertThat(started).hasValue(0);
        assertThat(clock.pendingTasks()).isEqualTo(1); // nothing scheduled for the rejected call
    }

    @Test
    void failureOfTheScheduledCallIsPassedOnUnwrapped() {
        limiter.acquirePermission();
        IllegalStateException failure = new IllegalStateException("downstream");
        CompletableFuture<Object> result = limiter.callAsync(() -> CompletableFuture.supplyAsync(() -> {
            throw failure;
        }, Runnable::run)).toCompletableFuture();
        clock.advance(Duration.ofSeconds(1));
        assertThat(result.handle((v, t) -> t).join()).isSameAs(failure);
    }

    @Test
    void cancelledCallWaitingForItsPeriodNeverStarts() {
        limiter.acquirePermission();
        AtomicInteger started = new AtomicInteger();
        CompletableFuture<Object> result = callCountingStarts(limiter, started);
        assertThat(clock.pendingTasks()).isEqualTo(2); // the period timer and the waiting call
        result.cancel(false);
        assertThat(clock.pendingTasks()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(5));
        assertThat(started).hasValue(0);
    }

    @Test
    void aCallWokenBeforeItsPeriodIsDueWaitsAgainInsteadOfStarting() {
        HeldTimerClock early = new HeldTimerClock(); // runs scheduled tasks whenever the test says, even too early
        RateLimiter limiter = RateLimiter.of("early", RateLimiterConfig.builder().limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofSeconds(2)).build(), early, Runnable::run);
        limiter.acquirePermission();
        AtomicInteger started = new AtomicInteger();
        CompletableFuture<Object> result = callCountingStarts(limiter, started);

        early.setMillis(500);
        early.runHeldTasks();
        assertThat(started).hasValue(0);
        assertThat(early.heldTasks()).isEqualTo(2); // the period timer and the call, both scheduled again

        early.setMillis(1_000);
        early.runHeldTasks();
        assertThat(started).hasValue(1);
        assertThat(result).isCompletedWithValue("x");
    }

    /** Calls through {@code limiter} a method that counts its starts in {@code started}. */
    private static CompletableFuture<Object> callCountingStarts(RateLimiter limiter, AtomicInteger started) {
        return limiter.callAsync(() -> {
            started.incrementAndGet();
            return CompletableFuture.<Object>completedFuture("x");
        }).toCompletableFuture();
    }
}

package dev.resilience.ratelimiter;

import dev.resilience.core.Clock;
import dev.resilience.core.ManualClock;
import dev.resilience.deadline.Deadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An asynchronous call that waited for a later period is started on the rate limiter's executor, never on the clock's
 * shared timer thread, where a blocking call would hold up every other timer of the engine.
 */
class RateLimiterAsyncExecutorTest {

    private static RateLimiterConfig onePerPeriod(Duration period) {
        return RateLimiterConfig.builder().limitForPeriod(1).limitRefreshPeriod(period)
                .timeoutDuration(Duration.ofSeconds(10)).build();
    }

    @Test
    void aCallStartedAfterAWaitDoesNotRunOnTheTimerThread() throws Exception {
        String caller = Thread.currentThread().getName();
        String ranOn = caller;
        // A caller descheduled for a whole period finds it due and runs at once on its own thread: try again.
        for (int attempt = 0; attempt < 5 && ranOn.equals(caller); attempt++) {
            RateLimiter limiter = RateLimiter.of("off-timer", onePerPeriod(Duration.ofMillis(200)), Clock.system());
            assertThat(limiter.acquirePermission()).isTrue();
            AtomicReference<String> thread = new AtomicReference<>();

            CompletableFuture<String> later = limiter.<String>callAsync(() -> {
                thread.set(Thread.currentThread().getName());
                return CompletableFuture.completedFuture("done");
            }).toCompletableFuture();

            assertThat(later.get(10, TimeUnit.SECONDS)).isEqualTo("done");
            ranOn = thread.get();
        }
        assertThat(ranOn).doesNotStartWith("resilience-timer").startsWith("resilience-continuation");
    }

    @Test
    void aBlockingCallDoesNotDelayAnotherRateLimitersTimer() throws Exception {
        // Periods long enough that each call below must wait for the timer even on a slow machine: the permits of
        // the current periods are taken just before.
        RateLimiter blocking = RateLimiter.of("blocking", onePerPeriod(Duration.ofMillis(300)), Clock.system());
        RateLimiter other = RateLimiter.of("other", onePerPeriod(Duration.ofMillis(300)), Clock.system());
        assertThat(blocking.acquirePermission()).isTrue();
        CountDownLatch blockingStarted = new CountDownLatch(1);
        CountDownLatch unblock = new CountDownLatch(1);
        try {
            CompletableFuture<Object> held = blocking.callAsync(() -> {
                blockingStarted.countDown();
                try {
                    // a call that blocks the thread it starts on (bounded, so a wrong thread never hangs the build)
                    unblock.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return CompletableFuture.<Object>completedFuture("held");
            }).toCompletableFuture();
            assertThat(blockingStarted.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(other.acquirePermission()).isTrue();
            CompletableFuture<String> next = other.<String>callAsync(() -> CompletableFuture.completedFuture("on time"))
                    .toCompletableFuture();
            assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo("on time");
            assertThat(held).isNotDone();
        } finally {
            unblock.countDown();
        }
    }

    @Test
    void theStartIsHandedToTheExecutorGivenWhereTheLimiterIsBuilt() {
        ManualClock clock = new ManualClock();
        Queue<Runnable> handed = new ArrayDeque<>();
        Executor executor = handed::add;
        RateLimiter limiter = RateLimiter.of("handed", onePerPeriod(Duration.ofSeconds(1)), clock, executor);
        limiter.acquirePermission();
        AtomicReference<Deadline> deadlineInCall = new AtomicReference<>();
        Deadline callers = Deadline.after(Duration.ofMinutes(5), clock);

        CompletableFuture<Object> later = callers.run(() -> limiter.callAsync(() -> {
            deadlineInCall.set(Deadline.currentOrNull());
            return CompletableFuture.<Object>completedFuture("ran");
        })).toCompletableFuture();
        clock.advance(Duration.ofSeconds(1));

        assertThat(handed).as("handed over, not run by the timer").hasSize(1);
        assertThat(later).isNotDone();
        handed.poll().run();
        assertThat(later).isCompletedWithValue("ran");
        assertThat(deadlineInCall.get()).as("the caller's deadline").isSameAs(callers);
    }
}

package dev.resilience.ratelimiter;

import dev.resilience.core.ManualClock;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutionException;
import dev.resilience.core.Scheduled;
import dev.resilience.core.ForwardingClock;
import dev.resilience.core.Clock;
import dev.resilience.spi.Admission;
import dev.resilience.spi.RateLimiterStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A rate limiter backed by a shared store: the store's answers are enforced (granted, wait, refused), the command
 * timeout is the clock's, and a failing store gives the configured failure mode until it answers again.
 */
class StoreBackedRateLimiterTest {

    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(100);

    private final ManualClock clock = new ManualClock();
    private final ScriptedStore store = new ScriptedStore();

    /** A store whose answers the test decides, one supplier per request (the last one repeats). */
    static final class ScriptedStore implements RateLimiterStore {
        final ConcurrentLinkedQueue<Supplier<CompletionStage<Admission>>> answers = new ConcurrentLinkedQueue<>();
        volatile Supplier<CompletionStage<Admission>> last = () -> CompletableFuture.completedFuture(Admission.GRANTED);
        final List<String> requests = new ArrayList<>();
        final AtomicInteger asked = new AtomicInteger();

        void answer(Supplier<CompletionStage<Admission>> answer) {
            answers.add(answer);
        }

        void always(Supplier<CompletionStage<Admission>> answer) {
            answers.clear();
            last = answer;
        }

        @Override
        public synchronized CompletionStage<Admission> acquire(String key, int limitForPeriod, long periodNanos,
                                                               long maxWaitNanos) {
            asked.incrementAndGet();
            requests.add(key + "/" + limitForPeriod + "/" + periodNanos + "/" + maxWaitNanos);
            Supplier<CompletionStage<Admission>> next = answers.poll();
            return (next != null ? next : last).get();
        }

        @Override
        public String name() {
            return "scripted";
        }
    }

    private static Supplier<CompletionStage<Admission>> now(Admission admission) {
        return () -> CompletableFuture.completedFuture(admission);
    }

    private static Supplier<CompletionStage<Admission>> failing() {
        return () -> CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
    }

    private static Supplier<CompletionStage<Admission>> silent() {
        return CompletableFuture::new; // never answers
    }

    private RateLimiter limiter(StoreFailureMode mode, int limit) {
        return RateLimiter.of("partner", RateLimiterConfig.builder().limitForPeriod(limit)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofMillis(500))
                .onStoreFailure(mode).build(), clock, store, COMMAND_TIMEOUT);
    }

    @Test
    void asksTheStoreOncePerCallWithItsNameLimitPeriodAndTimeout() {
        RateLimiter limiter = limiter(StoreFailureMode.LOCAL, 7);

        assertThat(limiter.call(() -> "ran")).isEqualTo("ran");

        assertThat(store.requests).containsExactly("partner/7/1000000000/500000000");
    }

    @Test
    void refusalFromTheStoreRejectsWithItsRetryAfterAndDoesNotRunTheCall() {
        RateLimiter limiter = limiter(StoreFailureMode.LOCAL, 1);
        store.always(now(Admission.refused(Duration.ofMillis(300).toNanos())));
        AtomicInteger ran = new AtomicInteger();

        assertThatThrownBy(() -> limiter.call(ran::incrementAndGet))
                .isInstanceOfSatisfying(RequestNotPermittedException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofMillis(300)));

        assertThat(ran).hasValue(0);
        assertThat(limiter.metrics().rejectedCalls()).isEqualTo(1);
        assertThat(limiter.acquirePermission()).isFalse();
    }

    @Test
    void synchronousCallGrantedAfterAWaitParksOnTheClockForThatLong() {
        RateLimiter limiter = limiter(StoreFailureMode.LOCAL, 1);
        store.always(now(Admission.afterWait(Duration.ofMillis(250).toNanos())));

        long startedAt = limiter.call(clock::nanoTime);

        assertThat(startedAt).isEqualTo(Duration.ofMillis(250).toNanos());
        assertThat(limiter.metrics().permittedCalls()).isEqualTo(1);
    }

    @Test
    void asynchronousCallGrantedAfterAWaitIsStartedByTheTimerWithoutBlocking() {
        RateLimiter limiter = new dev.resilience.ratelimiter.internal.StoreBackedRateLimiter("partner", "partner",
                RateLimiterConfig.builder().limitForPeriod(1).timeoutDuration(Duration.ofSeconds(1)).build(), clock,
                store, COMMAND_TIMEOUT, Runnable::run, dev.resilience.spi.ContextCarrier.none());
        store.always(now(Admission.afterWait(Duration.ofMillis(250).toNanos())));
        AtomicInteger started = new AtomicInteger();

        CompletableFuture<String> result = limiter.<String>callAsync(() -> {
            started.incrementAndGet();
            return CompletableFuture.completedFuture("later");
        }).toCompletableFuture();

        assertThat(started).hasValue(0);
        clock.advance(Duration.ofMillis(249));
        assertThat(started).hasValue(0);
        clock.advance(Duration.ofMillis(1));
        assertThat(started).hasValue(1);
        assertThat(result).isCompletedWithValue("later");
    }

    @Test
    void storeThatDoesNotAnswerWithinTheCommandTimeoutGivesTheFailureMode() throws Exception {
        RateLimiter limiter = limiter(StoreFailureMode.DENY, 1);
        store.always(silent());
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread caller = new Thread(() -> {
            try {
                limiter.call(() -> "ran");
            } catch (Throwable t) {
                outcome.set(t);
            }
            done.countDown();
        });
        caller.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> clock.pendingTasks() > 1); // the command timeout is armed

        clock.advance(COMMAND_TIMEOUT.minusNanos(1));
        assertThat(done.getCount()).isEqualTo(1);
        clock.advance(Duration.ofNanos(1));

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(outcome.get()).isInstanceOf(RequestNotPermittedException.class)
                .hasMessageContaining("shared store (scripted) is unavailable");
        StoreStatus status = limiter.storeStatus().orElseThrow();
        assertThat(status.available()).isFalse();
        assertThat(status.errors()).isEqualTo(1);
        assertThat(status.lastError()).contains("did not answer within the command timeout of PT0.1S");
    }

    @Test
    void localFailureModeEnforcesTheLimitOnThisInstanceWhileTheStoreFails() {
        RateLimiter limiter = limiter(StoreFailureMode.LOCAL, 3);
        store.always(failing());
        AtomicInteger ran = new AtomicInteger();

        int rejected = 0;
        for (int i = 0; i < 10; i++) {
            try {
                limiter.call(ran::incrementAndGet);
            } catch (RequestNotPermittedException e) {
                rejected++;
            }
        }

        // 3 now, and with a 500 ms timeout none of the next period (1 s away): exactly the limit.
        assertThat(ran).hasValue(3);
        assertThat(rejected).isEqualTo(7);
        assertThat(limiter.metrics().permittedCalls()).isEqualTo(3);
    }

    @Test
    void allowFailureModeAdmitsEveryCallWhileTheStoreFails() {
        RateLimiter limiter = limiter(StoreFailureMode.ALLOW, 1);
        store.always(failing());
        AtomicInteger ran = new AtomicInteger();

        for (int i = 0; i < 10; i++) {
            limiter.call(ran::incrementAndGet);
        }

        assertThat(ran).hasValue(10);
        assertThat(limiter.acquirePermission()).isTrue();
    }

    @Test
    void denyFailureModeRefusesEveryCallWhileTheStoreFails() {
        RateLimiter limiter = limiter(StoreFailureMode.DENY, 1);
        store.always(failing());

        assertThatThrownBy(() -> limiter.call(() -> "x")).isInstanceOf(RequestNotPermittedException.class);
        assertThat(limiter.acquirePermission()).isFalse();
        assertThat(limiter.callAsync(() -> CompletableFuture.completedFuture("x")).toCompletableFuture())
                .isCompletedExceptionally();
    }

    @Test
    void probeOfAnUnavailableStoreThatFailsSlowlyIsNotRepeatedWithinOneCall() {
        RateLimiter limiter = limiter(StoreFailureMode.DENY, 1);
        store.answer(failing());
        assertThat(limiter.acquirePermission()).isFalse(); // the store is now unavailable
        clock.advance(Duration.ofSeconds(1));
        store.always(() -> {
            clock.advance(Duration.ofSeconds(2)); // the probe fails only after longer than the probe interval
            return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
        });

        assertThat(limiter.acquirePermission()).isFalse();
        assertThat(store.asked).hasValue(2); // the first failure, then one probe, never a loop

        // The next probe is due one interval after that probe failed, not after it began.
        assertThatThrownBy(() -> limiter.call(() -> "x")).isInstanceOf(RequestNotPermittedException.class);
        assertThat(store.asked).hasValue(2);
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> limiter.call(() -> "x")).isInstanceOf(RequestNotPermittedException.class);
        assertThat(store.asked).hasValue(3);
    }

    @Test
    void storeThrowingInsteadOfAnsweringCountsAsAFailure() {
        RateLimiter limiter = limiter(StoreFailureMode.ALLOW, 1);
        store.always(() -> {
            throw new IllegalStateException("no connection");
        });

        assertThat(limiter.call(() -> "ran")).isEqualTo("ran");
        assertThat(limiter.storeStatus().orElseThrow().lastError()).contains("no connection");
    }

    @Test
    void unavailableStoreIsNotAskedAgainUntilTheProbeIntervalThenRecoversOnItsFirstAnswer() {
        RateLimiter limiter = limiter(StoreFailureMode.ALLOW, 1);
        store.answer(failing());
        limiter.call(() -> "first"); // fails over
        assertThat(store.asked).hasValue(1);

        for (int i = 0; i < 5; i++) {
            limiter.call(() -> "meanwhile");
        }
        assertThat(store.asked).hasValue(1);

        store.always(now(Admission.refused(0)));
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> limiter.call(() -> "probe")).isInstanceOf(RequestNotPermittedException.class);
        assertThat(store.asked).hasValue(2);
        assertThat(limiter.storeStatus().orElseThrow().available()).isTrue();
        assertThatThrownBy(() -> limiter.call(() -> "shared again")).isInstanceOf(RequestNotPermittedException.class);
        assertThat(store.asked).hasValue(3);
    }

    @Test
    void asynchronousCallIsNotStartedOnTheStoresThread() throws Exception {
        CompletableFuture<Admission> pending = new CompletableFuture<>();
        RateLimiter limiter = limiter(StoreFailureMode.LOCAL, 1);
        store.always(() -> pending);
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CompletableFuture<Object> result = limiter.callAsync(() -> {
            ranOn.set(Thread.currentThread());
            return CompletableFuture.completedFuture(null);
        }).toCompletableFuture();

        Thread storeThread = new Thread(() -> pending.complete(Admission.GRANTED), "store-event-loop");
        storeThread.start();
        storeThread.join();

        result.get(10, TimeUnit.SECONDS);
        assertThat(ranOn.get()).isNotSameAs(storeThread);
        assertThat(ranOn.get().getName()).startsWith("resilience-continuation");
    }

    @Test
    void limiterWithoutAStoreReportsNoStoreStatus() {
        assertThat(RateLimiter.ofDefaults("local").storeStatus()).isEmpty();
    }

    @Test
    void aSynchronousAcquisitionWaitsThroughTheClocksAwaitWithTheCommandTimeoutAndArmsNoTimer() {
        AtomicInteger scheduled = new AtomicInteger();
        List<Long> awaited = new ArrayList<>();
        Clock clock = new ForwardingClock(this.clock) {
            @Override
            public Scheduled schedule(Runnable task, long delayNanos) {
                scheduled.incrementAndGet();
                return super.schedule(task, delayNanos);
            }

            @Override
            public <T> T await(CompletableFuture<T> future, long timeoutNanos)
                    throws InterruptedException, ExecutionException, TimeoutException {
                awaited.add(timeoutNanos);
                return future.get(timeoutNanos, TimeUnit.NANOSECONDS);
            }
        };
        RateLimiter limiter = RateLimiter.of("partner", RateLimiterConfig.builder().limitForPeriod(5)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build(), clock, store,
                COMMAND_TIMEOUT);
        store.always(() -> CompletableFuture.supplyAsync(() -> Admission.GRANTED));
        int scheduledBefore = scheduled.get();

        assertThat(limiter.acquirePermission()).isTrue();
        assertThat(limiter.call(() -> "ran")).isEqualTo("ran");

        assertThat(awaited).containsExactly(COMMAND_TIMEOUT.toNanos(), COMMAND_TIMEOUT.toNanos());
        assertThat(scheduled).hasValue(scheduledBefore);
    }

    @Test
    void commandTimeoutMustBePositive() {
        assertThatThrownBy(() -> RateLimiter.of("x", RateLimiterConfig.defaults(), clock, store, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commandTimeout");
    }

    @Test
    void onStoreFailureMustNotBeNull() {
        assertThatThrownBy(() -> RateLimiterConfig.builder().onStoreFailure(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("onStoreFailure");
    }
}

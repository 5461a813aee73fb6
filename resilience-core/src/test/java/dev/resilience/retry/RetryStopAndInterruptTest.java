package dev.resilience.retry;

import dev.resilience.core.Clock;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RetryStopAndInterruptTest {

    private static final Duration LONG_BACKOFF = Duration.ofSeconds(20);

    /** Runs a call that always fails on its own thread; records attempts, outcome, interrupt flag, duration. */
    private static final class Caller {
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicReference<Throwable> outcome = new AtomicReference<>();
        final AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        final List<IllegalStateException> failures = new ArrayList<>();
        volatile long endNanos;
        final Thread thread;

        Caller(Retry retry) {
            thread = new Thread(() -> {
                try {
                    retry.call(() -> {
                        IllegalStateException e = new IllegalStateException("attempt " + attempts.incrementAndGet());
                        failures.add(e);
                        throw e;
                    });
                } catch (Throwable t) {
                    outcome.set(t);
                }
                endNanos = System.nanoTime();
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
        }

        Caller start() {
            thread.start();
            return this;
        }

        void awaitParked() {
            await().atMost(5, TimeUnit.SECONDS).until(() -> thread.getState() == Thread.State.TIMED_WAITING && attempts.get() == 1);
        }
    }

    @Test
    void interruptDuringRealBackoffEndsTheCallAtOnceWithTheLastFailure() throws Exception {
        Retry r = Retry.of("real", RetryConfig.builder().maxAttempts(3).waitDuration(LONG_BACKOFF).build(), Clock.system());
        Caller caller = new Caller(r).start();
        caller.awaitParked();
        long interruptedAt = System.nanoTime();
        caller.thread.interrupt();
        caller.thread.join(5_000);
        assertThat(caller.thread.isAlive()).isFalse();
        assertThat(Duration.ofNanos(caller.endNanos - interruptedAt)).isLessThan(Duration.ofSeconds(2));
        assertThat(caller.attempts).hasValue(1);
        assertThat(caller.outcome.get()).isSameAs(caller.failures.get(0));
        assertThat(caller.interruptedAfter.get()).isTrue();
        assertThat(r.metrics().failedCallsWithoutRetry()).isEqualTo(1);
    }

    @Test
    void interruptDuringManualClockBackoffEndsTheCallWithTheLastFailure() {
        ManualClock clock = new ManualClock();
        Retry r = Retry.of("manual", RetryConfig.builder().maxAttempts(5).waitDuration(LONG_BACKOFF).build(), clock);
        AtomicInteger attempts = new AtomicInteger();
        // The first backoff is taken in slices; a task due at 5 s interrupts the calling thread.
        Thread caller = Thread.currentThread();
        clock.schedule(caller::interrupt, Duration.ofSeconds(5).toNanos());
        try {
            assertThatThrownBy(() -> r.call(() -> {
                throw new IllegalStateException("attempt " + attempts.incrementAndGet());
            })).hasMessage("attempt 1");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(attempts).hasValue(1);
        assertThat(clock.nanoTime()).isLessThan(Duration.ofSeconds(6).toNanos());
    }

    @Test
    void alreadyInterruptedThreadMakesNoFurtherAttempt() {
        Retry r = Retry.of("flag", RetryConfig.builder().maxAttempts(5).waitDuration(Duration.ZERO).build(), new ManualClock());
        AtomicInteger attempts = new AtomicInteger();
        try {
            assertThatThrownBy(() -> r.call(() -> {
                attempts.incrementAndGet();
                Thread.currentThread().interrupt();
                throw new IllegalStateException();
            })).isInstanceOf(IllegalStateException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aCallerInterruptedWhileTheAttemptBlocksGetsTheInterruptedExceptionAndKeepsTheFlag() throws Exception {
        Retry r = Retry.of("interrupted-attempt", RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofMillis(10)).build(),
                Clock.system());
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);
        AtomicReference<Object> outcome = new AtomicReference<>();
        AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                outcome.set(r.call(() -> {
                    if (attempts.incrementAndGet() == 1) {
                        never.await(); // a blocking call, as an attempt makes one: interrupted, it throws and clears the flag
                    }
                    return "a later attempt";
                }));
            } catch (Throwable t) {
                outcome.set(t);
            }
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> caller.getState() == Thread.State.WAITING);
        caller.interrupt();
        caller.join(5_000);

        assertThat(caller.isAlive()).isFalse();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertThat(interruptedAfter.get()).isTrue();
        assertThat(attempts).hasValue(1);
        assertThat(r.metrics().failedCallsWithoutRetry()).isEqualTo(1);
    }

    @Test
    void anAttemptThrowingInterruptedExceptionEndsTheCallAtOnceWithoutABackoff() {
        ManualClock clock = new ManualClock();
        Retry r = Retry.of("interrupted-manual", RetryConfig.builder().maxAttempts(5).waitDuration(LONG_BACKOFF).build(), clock);
        List<RetryEvent.Type> events = new ArrayList<>();
        r.events().subscribe(e -> events.add(e.eventType()));
        AtomicInteger attempts = new AtomicInteger();
        InterruptedException interrupted = new InterruptedException("attempt interrupted");
        try {
            assertThatThrownBy(() -> r.call(() -> {
                attempts.incrementAndGet();
                throw interrupted;
            })).isSameAs(interrupted);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(attempts).hasValue(1);
        assertThat(clock.nanoTime()).isZero();
        assertThat(events).containsExactly(RetryEvent.Type.ERROR);
    }

    @Test
    void aThreadInterruptedWhenAnAttemptFailsMakesNoRetryAndSpendsNoBudget() {
        ManualClock clock = new ManualClock();
        Retry r = Retry.of("interrupted-flag", RetryConfig.builder().maxAttempts(5).waitDuration(LONG_BACKOFF)
                .budgetEnabled(true).build(), clock);
        List<RetryEvent.Type> events = new ArrayList<>();
        r.events().subscribe(e -> events.add(e.eventType()));
        long budgetBefore = r.metrics().budgetRemaining();
        try {
            assertThatThrownBy(() -> r.call(() -> {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("failed while interrupted");
            })).hasMessage("failed while interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(events).containsExactly(RetryEvent.Type.ERROR);
        assertThat(r.metrics().budgetRemaining()).isEqualTo(budgetBefore);
    }

    @Test
    void aThreadInterruptedWhenAnAttemptReturnsAResultToRetryEndsWithThatResult() {
        ManualClock clock = new ManualClock();
        Retry r = Retry.of("interrupted-result", RetryConfig.builder().maxAttempts(5).waitDuration(LONG_BACKOFF)
                .retryOnResult(v -> true).build(), clock);
        AtomicInteger attempts = new AtomicInteger();
        try {
            assertThat(r.call(() -> {
                Thread.currentThread().interrupt();
                return attempts.incrementAndGet();
            })).isEqualTo(1);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(clock.nanoTime()).isZero();
    }

    @Test
    void stopRetryingWakesARealSyncBackoffPromptly() throws Exception {
        Retry r = Retry.of("stop-real", RetryConfig.builder().maxAttempts(3).waitDuration(LONG_BACKOFF).build(), Clock.system());
        Caller caller = new Caller(r).start();
        caller.awaitParked();
        long stoppedAt = System.nanoTime();
        r.stopRetrying();
        caller.thread.join(5_000);
        assertThat(caller.thread.isAlive()).isFalse();
        // well under 100 ms in practice; generous bound for a noisy 2-core CI box
        assertThat(Duration.ofNanos(caller.endNanos - stoppedAt)).isLessThan(Duration.ofSeconds(1));
        assertThat(caller.attempts).hasValue(1);
        assertThat(caller.outcome.get()).isSameAs(caller.failures.get(0));
        assertThat(caller.interruptedAfter.get()).isFalse();
        assertThat(r.isStopped()).isTrue();
    }

    @Test
    void stopRetryingWakesManySleepingThreads() throws Exception {
        Retry r = Retry.of("stop-many", RetryConfig.builder().maxAttempts(3).waitDuration(LONG_BACKOFF).build(), Clock.system());
        List<Caller> callers = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            callers.add(new Caller(r).start());
        }
        for (Caller caller : callers) {
            caller.awaitParked();
        }
        r.stopRetrying();
        for (Caller caller : callers) {
            caller.thread.join(5_000);
            assertThat(caller.thread.isAlive()).isFalse();
            assertThat(caller.outcome.get()).isSameAs(caller.failures.get(0));
        }
        assertThat(r.metrics().failedCallsWithoutRetry()).isEqualTo(32);
    }

    @Test
    void stopRetryingEndsAManualClockBackoff() {
        ManualClock clock = new ManualClock();
        Retry r = Retry.of("stop-manual", RetryConfig.builder().maxAttempts(5).waitDuration(LONG_BACKOFF).build(), clock);
        clock.schedule(r::stopRetrying, Duration.ofSeconds(3).toNanos());
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> r.call(() -> {
            throw new IllegalStateException("attempt " + attempts.incrementAndGet());
        })).hasMessage("attempt 1");
        assertThat(clock.nanoTime()).isLessThan(Duration.ofSeconds(4).toNanos());
    }

    @Test
    void afterStopCallsRunTheirFirstAttemptOnly() {
        Retry r = Retry.of("stopped", RetryConfig.builder().maxAttempts(5).waitDuration(Duration.ofMillis(1)).build(), new ManualClock());
        r.stopRetrying();
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> r.call(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException();
        }));
        assertThat(attempts).hasValue(1);
        assertThat(r.call(() -> "still runs")).isEqualTo("still runs");
    }

    @Test
    void stopRetryingReturnsTheLastResultOfAResultRetry() {
        ManualClock clock = new ManualClock();
        Retry r = Retry.of("stop-result", RetryConfig.builder().maxAttempts(5).waitDuration(LONG_BACKOFF)
                .retryOnResult(v -> true).build(), clock);
        clock.schedule(r::stopRetrying, Duration.ofSeconds(25).toNanos());
        AtomicInteger attempts = new AtomicInteger();
        Integer result = r.call(attempts::incrementAndGet);
        assertThat(result).isEqualTo(2);
        assertThat(r.metrics().failedCallsWithRetry()).isEqualTo(1);
    }

    @Test
    void stopRetryingCompletesAScheduledAsyncBackoffAtOnce() {
        ManualClock clock = new ManualClock();
        Retry r = Retry.of("stop-async", RetryConfig.builder().maxAttempts(3).waitDuration(LONG_BACKOFF).build(), clock);
        AtomicInteger attempts = new AtomicInteger();
        IllegalStateException failure = new IllegalStateException();
        CompletableFuture<Object> result = r.callAsync(() -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(failure);
        }).toCompletableFuture();
        assertThat(clock.pendingTasks()).isEqualTo(1);
        r.stopRetrying();
        assertThat(result).isCompletedExceptionally();
        assertThat(result.handle((v, t) -> t).join()).isSameAs(failure);
        assertThat(clock.pendingTasks()).isZero();
        clock.advance(LONG_BACKOFF);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void stopRetryingCompletesARealScheduledAsyncBackoffPromptly() {
        Retry r = Retry.of("stop-async-real", RetryConfig.builder().maxAttempts(3).waitDuration(LONG_BACKOFF).build(), Clock.system());
        IllegalStateException failure = new IllegalStateException();
        CompletableFuture<Object> result = r.callAsync(() -> CompletableFuture.failedFuture(failure)).toCompletableFuture();
        assertThat(result).isNotDone();
        long stoppedAt = System.nanoTime();
        r.stopRetrying();
        assertThat(result.handle((v, t) -> t).orTimeout(5, TimeUnit.SECONDS).join()).isSameAs(failure);
        assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void asyncCallsAfterStopRunTheirFirstAttemptOnly() {
        ManualClock clock = new ManualClock();
        Retry r = Retry.of("stopped-async", RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofMillis(1)).build(), clock);
        r.stopRetrying();
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<Object> result = r.callAsync(() -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException());
        }).toCompletableFuture();
        assertThat(result).isCompletedExceptionally();
        assertThat(attempts).hasValue(1);
        assertThat(clock.pendingTasks()).isZero();
    }
}

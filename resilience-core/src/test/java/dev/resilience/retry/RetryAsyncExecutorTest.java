package dev.resilience.retry;

import dev.resilience.core.Clock;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An asynchronous attempt after a backoff runs on the retry's executor, never on the clock's timer thread: a timer
 * thread is shared by every policy of the JVM, and an attempt that blocks there would hold up every other timer.
 */
class RetryAsyncExecutorTest {

    private static final Duration BACKOFF = Duration.ofMillis(10);

    @Test
    void anAttemptThatBlocksDoesNotDelayAnotherRetrysTimer() throws Exception {
        Retry blocking = Retry.of("blocking", RetryConfig.builder().maxAttempts(2).waitDuration(BACKOFF).build(), Clock.system());
        Retry other = Retry.of("other", RetryConfig.builder().maxAttempts(2).waitDuration(BACKOFF).build(), Clock.system());
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger blockingAttempts = new AtomicInteger();
        try {
            CompletableFuture<String> first = blocking.<String>callAsync(() -> {
                if (blockingAttempts.incrementAndGet() == 2) {
                    blocked.countDown();
                    try {
                        release.await(20, TimeUnit.SECONDS); // a supplier that blocks, as it should not
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return CompletableFuture.completedFuture("late");
                }
                return CompletableFuture.failedFuture(new IOException("down"));
            }).toCompletableFuture();
            assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();

            AtomicInteger otherAttempts = new AtomicInteger();
            CompletableFuture<String> second = other.<String>callAsync(() -> otherAttempts.incrementAndGet() == 1
                    ? CompletableFuture.failedFuture(new IOException("down"))
                    : CompletableFuture.completedFuture("on time")).toCompletableFuture();

            // Its backoff timer fires and its second attempt runs while the first retry's attempt still blocks.
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("on time");
            assertThat(first).isNotDone();
        } finally {
            release.countDown();
        }
    }

    @Test
    void byDefaultAnAttemptAfterABackoffRunsOnARetryThreadNotTheTimer() throws Exception {
        Retry retry = Retry.of("threads", RetryConfig.builder().maxAttempts(2).waitDuration(BACKOFF).build(), Clock.system());
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

        retry.<String>callAsync(() -> {
            threads.add(Thread.currentThread().getName());
            return threads.size() == 1 ? CompletableFuture.failedFuture(new IOException("down")) : CompletableFuture.completedFuture("up");
        }).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(threads).hasSize(2);
        assertThat(threads.get(0)).isEqualTo(Thread.currentThread().getName());
        assertThat(threads.get(1)).startsWith("resilience-continuation-");
    }

    @Test
    void theTimerOnlyHandsTheNextAttemptToTheConfiguredExecutor() {
        ManualClock clock = new ManualClock();
        List<Runnable> handedOff = new ArrayList<>();
        Retry retry = Retry.of("handoff", RetryConfig.builder().maxAttempts(2).waitDuration(BACKOFF)
                .asyncExecutor(handedOff::add).build(), clock);
        AtomicInteger attempts = new AtomicInteger();

        CompletableFuture<String> result = retry.<String>callAsync(() -> attempts.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(new IOException("down"))
                : CompletableFuture.completedFuture("up")).toCompletableFuture();
        clock.advance(BACKOFF);

        assertThat(attempts).hasValue(1);
        assertThat(handedOff).hasSize(1);
        handedOff.get(0).run();
        assertThat(attempts).hasValue(2);
        assertThat(result).isCompletedWithValue("up");
        assertThat(retry.config().asyncExecutor()).isNotNull();
    }

    @Test
    void anExecutorThatRefusesTheAttemptEndsTheCallWithItsLastFailure() {
        ManualClock clock = new ManualClock();
        Retry retry = Retry.of("refused", RetryConfig.builder().maxAttempts(3).waitDuration(BACKOFF)
                .asyncExecutor(task -> {
                    throw new RejectedExecutionException("shut down");
                }).build(), clock);
        IOException failure = new IOException("down");
        AtomicReference<Integer> attempts = new AtomicReference<>(0);

        CompletableFuture<Object> result = retry.callAsync(() -> {
            attempts.set(attempts.get() + 1);
            return CompletableFuture.failedFuture(failure);
        }).toCompletableFuture();
        clock.advance(BACKOFF);

        assertThat(result).isCompletedExceptionally();
        assertThat(result.handle((v, t) -> t).join()).isSameAs(failure);
        assertThat(attempts.get()).isEqualTo(1);
        assertThat(retry.metrics().failedCallsWithoutRetry()).isEqualTo(1);
    }
}

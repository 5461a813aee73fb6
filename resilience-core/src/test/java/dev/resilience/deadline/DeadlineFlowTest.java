package dev.resilience.deadline;

import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadConfig;
import dev.resilience.core.ManualClock;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import dev.resilience.retry.RetryEvent;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import dev.resilience.timeout.TimeoutExceededException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a deadline set by one policy is seen by the policies and the work nested inside it. */
class DeadlineFlowTest {

    private final ManualClock clock = new ManualClock();
    private final List<ThreadPoolBulkhead> pools = new ArrayList<>();

    @AfterEach
    void shutDownPools() {
        pools.forEach(ThreadPoolBulkhead::shutdownNow);
    }

    private Timeout timeout(String name, Duration duration) {
        return Timeout.of(name, TimeoutConfig.builder().timeoutDuration(duration).build(), clock);
    }

    private Retry retry(RetryConfig.Builder builder) {
        return Retry.of("retry", builder.asyncExecutor(Runnable::run).build(), clock);
    }

    private ThreadPoolBulkhead pool() {
        ThreadPoolBulkhead pool = ThreadPoolBulkhead.of("pool", ThreadPoolBulkheadConfig.builder()
                .coreThreadPoolSize(1).maxThreadPoolSize(1).queueCapacity(4).build(), clock);
        pools.add(pool);
        return pool;
    }

    private static Duration remaining() {
        return Deadline.current().map(Deadline::remaining).orElse(null);
    }

    @Test
    void nestedCallsSeeTheTimeTheOutermostTimeoutLeft() {
        Timeout outer = timeout("outer", Duration.ofSeconds(2));
        Timeout middle = timeout("middle", Duration.ofSeconds(5));
        Timeout inner = timeout("inner", Duration.ofMillis(800));
        List<Duration> seen = new CopyOnWriteArrayList<>();

        outer.call(() -> {
            seen.add(remaining());
            clock.advance(Duration.ofMillis(500));
            return middle.call(() -> {
                seen.add(remaining()); // its own 5 s is longer than the 1.5 s left: it keeps the outer deadline
                clock.advance(Duration.ofMillis(500));
                return inner.call(() -> seen.add(remaining())); // its own 800 ms is shorter than the 1 s left
            });
        });

        assertThat(seen).containsExactly(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(800));
        assertThat(Deadline.current()).isEmpty();
    }

    @Test
    void anInnerTimeoutWaitsNoLongerThanTheTimeLeft() throws Exception {
        Timeout inner = timeout("inner", Duration.ofSeconds(5));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger pendingOneMilliBefore = new AtomicInteger(-1);
        Thread advancer = new Thread(() -> {
            try {
                running.await();
                clock.advance(Duration.ofMillis(1499));
                pendingOneMilliBefore.set(clock.pendingTasks());
                clock.advance(Duration.ofMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        advancer.start();
        try {
            assertThatThrownBy(() -> Deadline.runWithin(Duration.ofSeconds(2), clock, () -> {
                clock.advance(Duration.ofMillis(500));
                return inner.call(() -> {
                    running.countDown();
                    return release.await(10, TimeUnit.SECONDS);
                });
            })).isInstanceOfSatisfying(TimeoutExceededException.class,
                    e -> assertThat(e.timeout()).isEqualTo(Duration.ofMillis(1500)));
        } finally {
            release.countDown();
            advancer.join();
        }
        assertThat(pendingOneMilliBefore).hasValue(1); // the inner timer had not fired 1 ms before the deadline
    }

    @Test
    void aTimeoutWhoseDeadlineHasPassedFailsWithoutRunningTheCall() {
        Timeout inner = timeout("inner", Duration.ofSeconds(5));
        List<String> ran = new ArrayList<>();
        assertThatThrownBy(() -> Deadline.runWithin(Duration.ofSeconds(1), clock, () -> {
            clock.advance(Duration.ofSeconds(1));
            return inner.call(() -> ran.add("ran"));
        })).isInstanceOf(TimeoutExceededException.class);
        assertThat(ran).isEmpty();
        assertThat(inner.metrics().timedOutCalls()).isEqualTo(1);
    }

    @Test
    void aRetryUnderADeadlineStartsOnlyTheAttemptsThatFit() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(5).waitDuration(Duration.ZERO));
        List<Long> starts = new ArrayList<>();
        List<RetryEvent.Type> events = new ArrayList<>();
        retry.events().subscribe(e -> events.add(e.eventType()));

        assertThatThrownBy(() -> Deadline.runWithin(Duration.ofMillis(2500), clock, () -> retry.call(() -> {
            starts.add(clock.nanoTime());
            clock.advance(Duration.ofSeconds(1));
            throw new IOException("slow and failing");
        }))).isInstanceOf(IOException.class);

        assertThat(starts).containsExactly(0L, 1_000_000_000L, 2_000_000_000L);
        assertThat(events).endsWith(RetryEvent.Type.DEADLINE_EXCEEDED, RetryEvent.Type.ERROR);
    }

    @Test
    void maxDurationAloneLimitsTheAttemptsOfARetry() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(5).waitDuration(Duration.ZERO).maxDuration(Duration.ofMillis(2500)));
        List<Long> starts = new ArrayList<>();

        assertThatThrownBy(() -> retry.call(() -> {
            starts.add(clock.nanoTime());
            clock.advance(Duration.ofSeconds(1));
            throw new IOException("slow and failing");
        })).isInstanceOf(IOException.class);

        assertThat(starts).containsExactly(0L, 1_000_000_000L, 2_000_000_000L);
        assertThat(retry.metrics().failedCallsWithRetry()).isEqualTo(1);
    }

    @Test
    void aBackoffThatWouldEndPastMaxDurationEndsTheCallAtOnce() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(5).waitDuration(Duration.ofSeconds(1))
                .maxDuration(Duration.ofMillis(1500)));
        List<Long> starts = new ArrayList<>();
        IOException failure = new IOException("last");

        assertThatThrownBy(() -> retry.call(() -> {
            starts.add(clock.nanoTime());
            throw failure;
        })).isSameAs(failure);

        // 0 s: attempt; 1 s backoff fits (ends at 1 s < 1.5 s); 1 s: attempt; the next backoff would end at 2 s.
        assertThat(starts).containsExactly(0L, 1_000_000_000L);
        assertThat(clock.nanoTime()).isEqualTo(1_000_000_000L);
    }

    @Test
    void aBackoffEndingExactlyAtTheDeadlineIsNotTaken() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(5).waitDuration(Duration.ofSeconds(1)));
        List<Long> starts = new ArrayList<>();

        assertThatThrownBy(() -> Deadline.runWithin(Duration.ofSeconds(1), clock, () -> retry.call(() -> {
            starts.add(clock.nanoTime());
            throw new IOException();
        }))).isInstanceOf(IOException.class);

        assertThat(starts).containsExactly(0L);
    }

    @Test
    void theDeadlineTravelsToAThreadPoolBulkheadWorker() throws Exception {
        ThreadPoolBulkhead pool = pool();
        Duration sync = Deadline.runWithin(Duration.ofSeconds(3), clock, () -> pool.call(DeadlineFlowTest::remaining));
        CompletableFuture<Duration> async = Deadline.runWithin(Duration.ofSeconds(4), clock,
                () -> pool.callAsync(() -> CompletableFuture.completedFuture(remaining())).toCompletableFuture());

        assertThat(sync).isEqualTo(Duration.ofSeconds(3));
        assertThat(async.get(10, TimeUnit.SECONDS)).isEqualTo(Duration.ofSeconds(4));
        // The worker thread does not keep it for the next call.
        assertThat(pool.call(() -> Optional.ofNullable(remaining()))).isEmpty();
    }

    @Test
    void theDeadlineTravelsToATimeoutWorker() throws Exception {
        Timeout timeout = timeout("t", Duration.ofSeconds(10));
        Duration sync = Deadline.runWithin(Duration.ofSeconds(3), clock, () -> timeout.call(DeadlineFlowTest::remaining));
        Duration seenByAsyncSupplier = Deadline.runWithin(Duration.ofSeconds(4), clock,
                () -> timeout.callAsync(() -> CompletableFuture.completedFuture(remaining())).toCompletableFuture().get());

        assertThat(sync).isEqualTo(Duration.ofSeconds(3));
        assertThat(seenByAsyncSupplier).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void theDeadlineTravelsThroughATimeoutIntoAThreadPoolBulkhead() throws Exception {
        Timeout timeout = timeout("t", Duration.ofSeconds(2));
        ThreadPoolBulkhead pool = pool();
        Duration seen = timeout.callAsync(() -> pool.callAsync(() -> CompletableFuture.completedFuture(remaining())))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(seen).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void anAsynchronousRetryRestoresTheDeadlineForLaterAttemptsAndStopsAtIt() throws Exception {
        Retry retry = retry(RetryConfig.builder().maxAttempts(5).waitDuration(Duration.ofSeconds(1)));
        List<Duration> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<Object> outcome = Deadline.runWithin(Duration.ofMillis(2500), clock,
                () -> retry.callAsync(() -> {
                    seen.add(remaining());
                    return CompletableFuture.failedFuture(new IOException());
                }).toCompletableFuture());

        clock.advance(Duration.ofSeconds(1)); // second attempt, on this thread (the retry's executor runs it inline)
        clock.advance(Duration.ofSeconds(1)); // third attempt; the next backoff would end at 3 s, past 2.5 s

        assertThat(outcome).isCompletedExceptionally();
        assertThat(seen).containsExactly(Duration.ofMillis(2500), Duration.ofMillis(1500), Duration.ofMillis(500));
        assertThat(Deadline.current()).isEmpty();
    }
}

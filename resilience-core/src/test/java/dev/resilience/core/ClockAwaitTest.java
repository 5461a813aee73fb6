package dev.resilience.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@link Clock#await}: on the system clock (a timed park) and on any other clock (a scheduled end of the wait). */
class ClockAwaitTest {

    private static final long TEN_SECONDS = TimeUnit.SECONDS.toNanos(10);

    @Test
    void theSystemClockAnswersWhatTheFutureCompletesWith() throws Exception {
        CompletableFuture<String> future = new CompletableFuture<>();
        new Thread(() -> future.complete("answer")).start();
        assertThat(Clock.system().await(future, TEN_SECONDS)).isEqualTo("answer");
    }

    @Test
    void theSystemClockEndsTheWaitWithATimeoutAndLeavesTheFutureAsItIs() {
        CompletableFuture<String> never = new CompletableFuture<>();
        long start = System.nanoTime();
        assertThatThrownBy(() -> Clock.system().await(never, TimeUnit.MILLISECONDS.toNanos(50)))
                .isInstanceOf(TimeoutException.class);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(never).isNotDone();
    }

    @Test
    void theSystemClockReportsTheFuturesFailureUnwrapped() {
        IllegalStateException failure = new IllegalStateException("store down");
        CompletableFuture<String> failed = CompletableFuture.<String>completedFuture("x").thenApply(x -> {
            throw failure;
        });
        assertThatThrownBy(() -> Clock.system().await(failed, TEN_SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isSameAs(failure);
    }

    @Test
    void theSystemClockEndsTheWaitOnInterrupt() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                Clock.system().await(new CompletableFuture<>(), TEN_SECONDS);
            } catch (Throwable t) {
                thrown.set(t);
            }
            done.countDown();
        });
        waiter.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
        waiter.interrupt();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void anyOtherClockEndsTheWaitWhenItsTimeReachesTheTimeout() throws Exception {
        ManualClock clock = new ManualClock();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        CompletableFuture<String> never = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                clock.await(never, TimeUnit.MILLISECONDS.toNanos(100));
            } catch (Throwable t) {
                thrown.set(t);
            }
            done.countDown();
        });
        waiter.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> clock.pendingTasks() == 1);
        clock.advance(Duration.ofMillis(99));
        assertThat(done.getCount()).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(thrown.get()).isInstanceOf(TimeoutException.class);
        assertThat(never).isNotDone();
    }

    @Test
    void anyOtherClockAnswersACompletionAndCancelsItsTimer() throws Exception {
        ManualClock clock = new ManualClock();
        CompletableFuture<String> future = new CompletableFuture<>();
        AtomicReference<Object> answer = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                answer.set(clock.await(future, TEN_SECONDS));
            } catch (Throwable t) {
                answer.set(t);
            }
            done.countDown();
        });
        waiter.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> clock.pendingTasks() == 1);
        future.complete("answer");
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(answer.get()).isEqualTo("answer");
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void anyOtherClockReportsTheFuturesFailureUnwrapped() {
        ManualClock clock = new ManualClock();
        IllegalStateException failure = new IllegalStateException("store down");
        CompletableFuture<String> failing = new CompletableFuture<>();
        clock.schedule(() -> failing.completeExceptionally(failure), 10);
        Thread advancer = new Thread(() -> {
            await().atMost(Duration.ofSeconds(5)).until(() -> clock.pendingTasks() == 2);
            clock.advanceNanos(10);
        });
        advancer.start();
        assertThatThrownBy(() -> clock.await(failing, TEN_SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isSameAs(failure);
    }

    @Test
    void aWaitOfZeroAnswersOnlyWhatIsAlreadyThere() throws Exception {
        ManualClock clock = new ManualClock();
        assertThat(clock.await(CompletableFuture.completedFuture("done"), 0)).isEqualTo("done");
        assertThatThrownBy(() -> clock.await(new CompletableFuture<>(), 0)).isInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> Clock.system().await(new CompletableFuture<>(), -1)).isInstanceOf(TimeoutException.class);
        assertThat(clock.pendingTasks()).isZero();
    }
}

package dev.resilience.timeout;

import dev.resilience.core.Clock;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The timer thread only decides that a call timed out: the caller's dependent stages run elsewhere. */
class TimeoutCompletionThreadTest {

    private static TimeoutConfig after(Duration duration) {
        return TimeoutConfig.builder().timeoutDuration(duration).build();
    }

    @Test
    void dependentStagesOfATimedOutCallDoNotRunOnTheThreadThatFiredTheTimer() {
        ManualClock clock = new ManualClock();
        Timeout timeout = Timeout.of("pricing", after(Duration.ofSeconds(1)), clock);
        AtomicReference<Thread> dependentRanOn = new AtomicReference<>();
        CompletableFuture<?> dependent = timeout.callAsync(CompletableFuture<String>::new).toCompletableFuture()
                .whenComplete((value, failure) -> dependentRanOn.set(Thread.currentThread()));

        clock.advance(Duration.ofSeconds(1)); // this thread fires the timer

        assertThat(dependent).failsWithin(Duration.ofSeconds(10));
        assertThat(dependentRanOn.get()).isNotNull().isNotSameAs(Thread.currentThread());
    }

    @Test
    void aBlockingDependentStageDoesNotDelayAnotherTimeoutOnTheSystemTimer() throws Exception {
        Timeout first = Timeout.of("first", after(Duration.ofMillis(20)), Clock.system());
        Timeout second = Timeout.of("second", after(Duration.ofMillis(60)), Clock.system());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        AtomicReference<String> firstDependentThread = new AtomicReference<>();
        try {
            first.callAsync(CompletableFuture<String>::new).toCompletableFuture().whenComplete((value, failure) -> {
                firstDependentThread.set(Thread.currentThread().getName());
                blocking.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS); // a badly behaved callback
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<String> secondResult = second.callAsync(CompletableFuture<String>::new).toCompletableFuture();

            assertThat(secondResult).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                    .havingCause().isInstanceOf(TimeoutExceededException.class);
            assertThat(firstDependentThread.get()).doesNotStartWith("resilience-timer");
        } finally {
            release.countDown();
        }
    }

    @Test
    void completesTimedOutCallsOnTheGivenExecutor() {
        ManualClock clock = new ManualClock();
        AtomicInteger executed = new AtomicInteger();
        AtomicReference<Runnable> handedOver = new AtomicReference<>();
        Executor recording = task -> {
            executed.incrementAndGet();
            handedOver.set(task);
        };
        Timeout timeout = Timeout.of("pricing", after(Duration.ofSeconds(1)), clock, recording);
        CompletableFuture<Object> result = timeout.callAsync(CompletableFuture::new).toCompletableFuture();

        clock.advance(Duration.ofSeconds(1));
        assertThat(executed).hasValue(1);
        assertThat(result).isNotDone();
        handedOver.get().run();

        assertThat(result).isCompletedExceptionally();
        assertThat(timeout.metrics()).isEqualTo(new TimeoutMetrics(0, 0, 1));
    }

    @Test
    void aTimedOutCallStillCompletesWhenTheExecutorRefusesTheTask() {
        ManualClock clock = new ManualClock();
        Timeout timeout = Timeout.of("pricing", after(Duration.ofSeconds(1)), clock, task -> {
            throw new RejectedExecutionException("shut down");
        });
        CompletableFuture<Object> result = timeout.callAsync(CompletableFuture::new).toCompletableFuture();

        clock.advance(Duration.ofSeconds(1));

        assertThat(result).isCompletedExceptionally();
    }
}

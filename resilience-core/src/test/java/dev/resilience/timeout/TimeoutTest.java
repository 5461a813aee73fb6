package dev.resilience.timeout;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Synchronous calls through a {@link Timeout}, driven by a {@link ManualClock}. */
class TimeoutTest {

    private final ManualClock clock = new ManualClock();
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        callers.shutdownNow();
        assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private Timeout timeout(boolean cancelRunningFuture) {
        return Timeout.of("pricing", TimeoutConfig.builder().timeoutDuration(Duration.ofSeconds(1))
                .cancelRunningFuture(cancelRunningFuture).build(), clock);
    }

    @Test
    void kindNameAndConfigAreReported() {
        Timeout timeout = Timeout.ofDefaults("pricing");
        assertThat(timeout.kind()).isEqualTo("timeout");
        assertThat(timeout.name()).isEqualTo("pricing");
        assertThat(timeout.config().timeoutDuration()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void returnsTheValueOfACallThatEndsInTimeAndCancelsTheTimer() {
        Timeout timeout = timeout(true);
        assertThat(timeout.call(() -> "price")).isEqualTo("price");
        assertThat(timeout.<Object, RuntimeException>call(() -> null)).isNull();
        assertThat(clock.pendingTasks()).isZero();
        assertThat(timeout.metrics()).isEqualTo(new TimeoutMetrics(2, 0, 0));
    }

    @Test
    void passesACheckedExceptionThroughUnchanged() {
        Timeout timeout = timeout(true);
        IOException failure = new IOException("down");
        assertThatThrownBy(() -> timeout.call(() -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(timeout.metrics()).isEqualTo(new TimeoutMetrics(0, 1, 0));
    }

    @Test
    void passesAnInterruptedExceptionOfTheCallThroughUnchanged() {
        Timeout timeout = timeout(true);
        InterruptedException failure = new InterruptedException("the call's own");
        assertThatThrownBy(() -> timeout.call(() -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void passesRuntimeExceptionsAndErrorsThroughUnchanged() {
        Timeout timeout = timeout(true);
        IllegalStateException runtime = new IllegalStateException("bad");
        AssertionError error = new AssertionError("worse");
        assertThatThrownBy(() -> timeout.call(() -> {
            throw runtime;
        })).isSameAs(runtime);
        assertThatThrownBy(() -> timeout.call(() -> {
            throw error;
        })).isSameAs(error);
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void aCallLeftRunningPastItsTimeoutEndsWithTimeoutExceededExceptionNamingTheInstanceAndTheDuration() throws Exception {
        Timeout timeout = timeout(false);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> caller = callers.submit(() -> timeout.call(() -> {
            started.countDown();
            release.await();
            return "late";
        }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        clock.advance(Duration.ofSeconds(1));
        assertThat(caller).isNotDone(); // the call runs on the caller's thread, and was not interrupted
        release.countDown();

        TimeoutExceededException exceeded = (TimeoutExceededException) catchCause(caller);
        assertThat(exceeded).hasMessageContaining("'pricing'").hasMessageContaining("PT1S");
        assertThat(exceeded.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(exceeded.instanceName()).isEqualTo("pricing");
        assertThat(exceeded.getStackTrace()).isEmpty();
        assertThat(timeout.metrics()).isEqualTo(new TimeoutMetrics(0, 0, 1));
    }

    private static Throwable catchCause(Future<?> future) throws InterruptedException {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no failure");
    }

    @Test
    void anInterruptForATimedOutCallNeverLeaksIntoTheNextTaskOnTheCallersThread() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            Timeout timeout = timeout(true);
            CountDownLatch started = new CountDownLatch(1);
            Future<Object> caller = single.submit(() -> timeout.call(() -> {
                started.countDown();
                // Notice the interrupt but neither throw nor clear it, as badly behaved code does.
                long spins = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    spins++;
                    Thread.onSpinWait();
                }
                return spins;
            }));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            clock.advance(Duration.ofSeconds(1));
            assertThat(catchCause(caller)).isInstanceOf(TimeoutExceededException.class);

            Boolean interruptedNext = single.submit(() -> Thread.currentThread().isInterrupted()).get(10, TimeUnit.SECONDS);

            assertThat(interruptedNext).isFalse();
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void publishesSuccessErrorAndTimeoutEvents() throws Exception {
        Timeout timeout = timeout(true);
        List<TimeoutEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        timeout.events().subscribe(events::add);
        CountDownLatch started = new CountDownLatch(1);

        timeout.call(() -> "ok");
        assertThatThrownBy(() -> timeout.call(() -> {
            throw new IOException("down");
        })).isInstanceOf(IOException.class);
        Future<Object> caller = callers.submit(() -> timeout.call(() -> {
            started.countDown();
            new CountDownLatch(1).await();
            return null;
        }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        catchCause(caller);

        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.type()));
        assertThat(types).containsExactly("SUCCESS", "ERROR", "TIMEOUT");
        assertThat(events.get(1).details()).containsEntry("error", "java.io.IOException");
        assertThat(events).allSatisfy(e -> assertThat(e.kind()).isEqualTo("timeout"));
    }
}

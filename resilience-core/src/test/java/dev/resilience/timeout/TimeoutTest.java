package dev.resilience.timeout;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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
    void runsTheCallOnASharedDaemonWorkerThread() {
        Timeout timeout = timeout(true);
        Thread worker = timeout.call(Thread::currentThread);
        assertThat(worker).isNotSameAs(Thread.currentThread());
        assertThat(worker.getName()).startsWith("resilience-timeout-");
        assertThat(worker.isDaemon()).isTrue();
    }

    @Test
    void usesTheGivenExecutor() {
        AtomicInteger executed = new AtomicInteger();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Timeout timeout = Timeout.of("pricing", TimeoutConfig.defaults(), clock, task -> {
                executed.incrementAndGet();
                pool.execute(task);
            });
            assertThat(timeout.call(() -> "x")).isEqualTo("x");
            assertThat(executed).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
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
    void theCallerGetsTimeoutExceededExceptionOnTimeWhileTheCallStillBlocks() throws Exception {
        Timeout timeout = timeout(false);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> caller = callers.submit(() -> timeout.call(() -> {
            started.countDown();
            release.await();
            return "late";
        }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        clock.advance(Duration.ofMillis(999));
        assertThat(caller).isNotDone();
        clock.advance(Duration.ofMillis(1));

        assertThatThrownBy(() -> caller.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(TimeoutExceededException.class)
                .hasMessageContaining("'pricing'").hasMessageContaining("PT1S");
        TimeoutExceededException exceeded = (TimeoutExceededException) catchCause(caller);
        assertThat(exceeded.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(exceeded.instanceName()).isEqualTo("pricing");
        assertThat(exceeded.getStackTrace()).isEmpty();
        release.countDown();
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
    void interruptsTheWorkerOnTimeoutWhenCancelRunningFuture() throws Exception {
        Timeout timeout = timeout(true);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch workerEnded = new CountDownLatch(1);
        AtomicBoolean workerInterrupted = new AtomicBoolean();
        Future<String> caller = callers.submit(() -> timeout.call(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
                return "never";
            } catch (InterruptedException e) {
                workerInterrupted.set(true);
                throw e;
            } finally {
                workerEnded.countDown();
            }
        }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        clock.advance(Duration.ofSeconds(1));

        assertThat(catchCause(caller)).isInstanceOf(TimeoutExceededException.class);
        assertThat(workerEnded.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(workerInterrupted).isTrue();
    }

    @Test
    void leavesTheWorkerRunningOnTimeoutWhenNotCancelRunningFuture() throws Exception {
        Timeout timeout = timeout(false);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> workerOutcome = new AtomicReference<>();
        CountDownLatch workerEnded = new CountDownLatch(1);
        Future<String> caller = callers.submit(() -> timeout.call(() -> {
            started.countDown();
            try {
                release.await();
                workerOutcome.set(Thread.currentThread().isInterrupted() ? "interrupted" : "finished");
            } catch (InterruptedException e) {
                workerOutcome.set("interrupted");
            } finally {
                workerEnded.countDown();
            }
            return "late";
        }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(catchCause(caller)).isInstanceOf(TimeoutExceededException.class);

        release.countDown();

        assertThat(workerEnded.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(workerOutcome).hasValue("finished");
    }

    @Test
    void aCallThatTimedOutBeforeItStartedNeverRuns() throws Exception {
        Queue<Runnable> notYetRun = new ArrayDeque<>();
        Timeout timeout = Timeout.of("pricing", TimeoutConfig.defaults(), clock, notYetRun::add);
        AtomicBoolean ran = new AtomicBoolean();
        Future<Boolean> caller = callers.submit(() -> timeout.call(() -> ran.getAndSet(true)));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> clock.pendingTasks() == 1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(catchCause(caller)).isInstanceOf(TimeoutExceededException.class);
        notYetRun.forEach(Runnable::run);

        assertThat(notYetRun).hasSize(1);
        assertThat(ran).isFalse();
    }

    @Test
    void anInterruptForATimedOutCallNeverLeaksIntoTheNextTaskOnTheSameThread() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            Timeout timeout = Timeout.of("pricing", TimeoutConfig.defaults(), clock, single);
            CountDownLatch started = new CountDownLatch(1);
            Future<Object> caller = callers.submit(() -> timeout.call(() -> {
                started.countDown();
                // Ignore the interrupt and keep going for a while, as badly behaved code does.
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
    void anInterruptedCallerInterruptsTheWorkerRestoresItsFlagAndThrowsCancellation() throws Exception {
        Timeout timeout = timeout(false); // the caller's interrupt cancels the call whatever cancelRunningFuture says
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch workerEnded = new CountDownLatch(1);
        AtomicBoolean workerInterrupted = new AtomicBoolean();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagAfter = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                timeout.call(() -> {
                    started.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        workerInterrupted.set(true);
                    } finally {
                        workerEnded.countDown();
                    }
                    return null;
                });
            } catch (Throwable t) {
                thrown.set(t);
            }
            flagAfter.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        caller.interrupt();
        caller.join(10_000);

        assertThat(thrown.get()).isInstanceOf(CancellationException.class)
                .hasMessageContaining("'pricing'").hasCauseInstanceOf(InterruptedException.class);
        assertThat(flagAfter).isTrue();
        assertThat(workerEnded.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(workerInterrupted).isTrue();
        assertThat(clock.pendingTasks()).isZero();
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

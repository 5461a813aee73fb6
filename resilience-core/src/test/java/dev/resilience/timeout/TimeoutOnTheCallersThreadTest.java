package dev.resilience.timeout;

import dev.resilience.core.Clock;
import dev.resilience.core.ForwardingClock;
import dev.resilience.core.ManualClock;
import dev.resilience.core.Scheduled;
import dev.resilience.deadline.Deadline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A synchronous call runs on the caller's own thread, which the clock's timer interrupts at the deadline: the
 * caller's transaction, request scope and other thread-bound state stay with the call, and an interrupt meant for
 * a timed-out call never outlives it.
 */
class TimeoutOnTheCallersThreadTest {

    private final ManualClock clock = new ManualClock();
    private final ExecutorService others = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        others.shutdownNow();
        assertThat(others.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        Thread.interrupted(); // a failed assertion must not leave the flag to the next test
    }

    private Timeout timeout(boolean cancelRunningFuture) {
        return Timeout.of("pricing", TimeoutConfig.builder().timeoutDuration(Duration.ofSeconds(1))
                .cancelRunningFuture(cancelRunningFuture).build(), clock);
    }

    /** Advances the clock from another thread once the call has started, as the timer thread would fire. */
    private Future<?> advanceWhen(CountDownLatch started, Duration by) {
        return others.submit(() -> {
            if (!started.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the call did not start");
            }
            clock.advance(by);
            return null;
        });
    }

    @Test
    void theCallRunsOnTheCallersThreadAndSeesItsThreadLocals() {
        ThreadLocal<String> request = new ThreadLocal<>();
        request.set("request-1");
        try {
            Timeout timeout = timeout(true);

            assertThat(timeout.call(Thread::currentThread)).isSameAs(Thread.currentThread());
            assertThat(timeout.call(request::get)).isEqualTo("request-1");
        } finally {
            request.remove();
        }
    }

    @Test
    void aBlockingCallIsInterruptedAtTheDeadlineAndTheCallerGetsTimeoutExceeded() throws Exception {
        Timeout timeout = timeout(true);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Future<?> timer = advanceWhen(started, Duration.ofSeconds(1));

        assertThatThrownBy(() -> timeout.call(() -> {
            started.countDown();
            try {
                return new CountDownLatch(1).await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
        })).isInstanceOf(TimeoutExceededException.class).hasMessageContaining("'pricing'").hasMessageContaining("PT1S");

        timer.get(10, TimeUnit.SECONDS);
        assertThat(interrupted).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(timeout.metrics()).isEqualTo(new TimeoutMetrics(0, 0, 1));
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void theCallIsNotInterruptedBeforeItsDeadline() throws Exception {
        Timeout timeout = timeout(true);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> almost = others.submit(() -> {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            clock.advance(Duration.ofMillis(999));
            release.countDown();
            return null;
        });

        String outcome = timeout.call(() -> {
            started.countDown();
            return release.await(10, TimeUnit.SECONDS) ? "in time" : "stuck";
        });

        almost.get(10, TimeUnit.SECONDS);
        assertThat(outcome).isEqualTo("in time");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aCallThatIgnoresTheInterruptRunsOnAndIsThenReportedAsTimedOut() throws Exception {
        Timeout timeout = timeout(true);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean sawInterrupt = new AtomicBoolean();
        Future<?> timer = advanceWhen(started, Duration.ofSeconds(1));

        assertThatThrownBy(() -> timeout.call(() -> {
            started.countDown();
            while (!Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait(); // busy, not listening for interrupts except to stop this test
            }
            sawInterrupt.set(true);
            return "finished late";
        })).isInstanceOf(TimeoutExceededException.class);

        timer.get(10, TimeUnit.SECONDS);
        assertThat(sawInterrupt).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void withoutCancelRunningFutureTheCallIsNotInterruptedAndIsReportedAsTimedOutWhenItEnds() throws Exception {
        Timeout timeout = timeout(false);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch timerFired = new CountDownLatch(1);
        Future<?> timer = others.submit(() -> {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            clock.advance(Duration.ofSeconds(1));
            timerFired.countDown();
            return null;
        });

        AtomicReference<String> seen = new AtomicReference<>();
        assertThatThrownBy(() -> timeout.call(() -> {
            started.countDown();
            seen.set(timerFired.await(10, TimeUnit.SECONDS) ? "not interrupted" : "stuck");
            return "late";
        })).isInstanceOf(TimeoutExceededException.class);

        timer.get(10, TimeUnit.SECONDS);
        assertThat(seen).hasValue("not interrupted");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void anInterruptFromElsewhereReachesTheCallWhoseOutcomePassesThroughUnchanged() throws Exception {
        Timeout timeout = timeout(true);
        Thread caller = Thread.currentThread();
        CountDownLatch started = new CountDownLatch(1);
        Future<?> interrupter = others.submit(() -> {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            caller.interrupt();
            return null;
        });

        assertThatThrownBy(() -> timeout.call(() -> {
            started.countDown();
            return new CountDownLatch(1).await(10, TimeUnit.SECONDS);
        })).isInstanceOf(InterruptedException.class);

        interrupter.get(10, TimeUnit.SECONDS);
        assertThat(timeout.metrics()).isEqualTo(new TimeoutMetrics(0, 1, 0));
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void aCallFinishingAsTheTimerFiresNeverLeavesAnInterruptBehind() throws Exception {
        raceFinishAgainstTimer(clock);
    }

    @Test
    void aCallFinishingAsAnUncancellableTimerFiresNeverLeavesAnInterruptBehind() throws Exception {
        // Every timer fires, even for calls that have ended: as a system timer already running the task would.
        Clock uncancellable = new ForwardingClock(clock) {
            @Override
            public Scheduled schedule(Runnable task, long delayNanos) {
                time.schedule(task, delayNanos);
                return () -> false;
            }
        };
        raceFinishAgainstTimer(uncancellable);
    }

    private void raceFinishAgainstTimer(Clock timerClock) throws Exception {
        Timeout timeout = Timeout.of("pricing", TimeoutConfig.builder().timeoutDuration(Duration.ofSeconds(1)).build(), timerClock);
        int rounds = 2_000;
        int returned = 0;
        int timedOut = 0;
        for (int round = 0; round < rounds; round++) {
            CyclicBarrier together = new CyclicBarrier(2);
            Future<?> timer = others.submit(() -> {
                together.await(10, TimeUnit.SECONDS);
                clock.advance(Duration.ofSeconds(1));
                return null;
            });
            try {
                timeout.call(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return "done";
                });
                returned++;
            } catch (TimeoutExceededException e) {
                timedOut++;
            }
            timer.get(10, TimeUnit.SECONDS); // the timer has fired, or was cancelled, by now
            assertThat(Thread.interrupted()).as("interrupt flag after round %d", round).isFalse();
        }
        assertThat(returned + timedOut).isEqualTo(rounds);
        assertThat(timeout.metrics()).isEqualTo(new TimeoutMetrics(returned, 0, timedOut));
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void anInterruptAlreadyPendingBeforeACallThatEndsInTimeIsKept() {
        Timeout timeout = timeout(true);
        Thread.currentThread().interrupt();

        assertThat(timeout.call(() -> "in time")).isEqualTo("in time");

        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void anInterruptAlreadyPendingBeforeACallThatTimesOutIsKeptEvenIfTheCallClearedIt() throws Exception {
        Timeout timeout = timeout(true);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean timerDone = new AtomicBoolean();
        Future<?> timer = others.submit(() -> {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            clock.advance(Duration.ofSeconds(1));
            timerDone.set(true);
            return null;
        });
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> timeout.call(() -> {
            Thread.interrupted(); // the call consumes the caller's pending interrupt
            started.countDown();
            while (!timerDone.get()) {
                Thread.onSpinWait();
            }
            return "late";
        })).isInstanceOf(TimeoutExceededException.class);

        timer.get(10, TimeUnit.SECONDS);
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void anEnclosingDeadlineShortensTheTimeoutAndIsSeenByTheCall() throws Exception {
        Timeout timeout = timeout(true);
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Duration> remaining = new AtomicReference<>();
        Future<?> timer = advanceWhen(started, Duration.ofMillis(300));

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> Deadline.runWithin(Duration.ofMillis(300), clock,
                () -> timeout.call(() -> {
                    remaining.set(Deadline.current().orElseThrow().remaining());
                    started.countDown();
                    return new CountDownLatch(1).await(10, TimeUnit.SECONDS);
                })));

        timer.get(10, TimeUnit.SECONDS);
        assertThat(thrown).isInstanceOf(TimeoutExceededException.class);
        assertThat(((TimeoutExceededException) thrown).timeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(remaining).hasValue(Duration.ofMillis(300));
        assertThat(Deadline.current()).isEmpty();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void anInnerTimeoutInterruptsOnlyItsOwnCallAndTheOuterCallCarriesOn() throws Exception {
        Timeout outer = Timeout.of("outer", TimeoutConfig.builder().timeoutDuration(Duration.ofSeconds(5)).build(), clock);
        Timeout inner = timeout(true);
        CountDownLatch started = new CountDownLatch(1);
        Future<?> timer = advanceWhen(started, Duration.ofSeconds(1));

        String outcome = outer.call(() -> {
            try {
                inner.call(() -> {
                    started.countDown();
                    return new CountDownLatch(1).await(10, TimeUnit.SECONDS);
                });
                return "inner finished";
            } catch (TimeoutExceededException e) {
                return e.instanceName() + " timed out, interrupted: " + Thread.currentThread().isInterrupted();
            }
        });

        timer.get(10, TimeUnit.SECONDS);
        assertThat(outcome).isEqualTo("pricing timed out, interrupted: false");
        assertThat(outer.metrics()).isEqualTo(new TimeoutMetrics(1, 0, 0));
    }

    @Test
    void startsNoThreadOfItsOwn() {
        Timeout timeout = timeout(true);
        for (int i = 0; i < 50; i++) {
            timeout.call(() -> "x");
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("resilience-timeout"));
    }
}

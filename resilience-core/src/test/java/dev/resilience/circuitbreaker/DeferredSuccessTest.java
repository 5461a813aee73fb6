package dev.resilience.circuitbreaker;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

import static dev.resilience.circuitbreaker.CircuitBreakerStateTest.fail;
import static dev.resilience.circuitbreaker.CircuitBreakerStateTest.succeed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A COUNT_BASED breaker lets fast successes that cannot open it wait in a striped counter (so concurrent successes share
 * no cache line); these tests pin down that the window and every decision still see each success exactly once and in
 * time.
 */
class DeferredSuccessTest {

    private final ManualClock clock = new ManualClock();

    private CircuitBreaker breaker(int window, int minimumCalls) {
        return CircuitBreaker.of("deferred", CircuitBreakerConfig.builder().slidingWindowSize(window)
                .minimumNumberOfCalls(minimumCalls).failureRateThreshold(50).slowCallDurationThreshold(Duration.ZERO)
                .build(), clock);
    }

    /** The body of one call of a racing worker thread. */
    private interface Call {
        void run(int i) throws Exception;
    }

    /**
     * Starts {@code threads} workers that each run {@code call} for {@code i = 0 .. callsPerThread - 1}, and, if given,
     * one more thread that repeats {@code meanwhile} until the workers are done; all leave one barrier together.
     *
     * @return what any of them threw
     */
    private static List<Throwable> race(int threads, int callsPerThread, Call call, Runnable meanwhile)
            throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(meanwhile == null ? threads : threads + 1);
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < callsPerThread; i++) {
                        call.run(i);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            workers.add(worker);
            worker.start();
        }
        Thread background = null;
        if (meanwhile != null) {
            background = new Thread(() -> {
                try {
                    start.await();
                    while (!done.get()) {
                        meanwhile.run();
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            background.start();
        }
        for (Thread worker : workers) {
            worker.join(60_000);
        }
        done.set(true);
        if (background != null) {
            background.join(10_000);
        }
        return errors;
    }

    /**
     * A racing call that fails every 16th time and counts what it did; every 1,000th call also samples the metrics,
     * which must stay consistent (failed within buffered, buffered at most {@code maxBuffered}).
     */
    private static Call oneFailureIn16(CircuitBreaker cb, AtomicLong successes, AtomicLong failures, long maxBuffered) {
        return i -> {
            if (i % 16 == 15) {
                fail(cb);
                failures.incrementAndGet();
            } else {
                succeed(cb);
                successes.incrementAndGet();
            }
            if (i % 1_000 == 0) {
                CircuitBreakerMetrics m = cb.metrics();
                assertThat(m.bufferedCalls()).isBetween(0L, maxBuffered);
                assertThat(m.failedCalls()).isBetween(0L, m.bufferedCalls());
            }
        };
    }

    @Test
    void successesShowInTheWindowMetricsAtOnce() {
        CircuitBreaker cb = breaker(10, 10);
        for (int i = 0; i < 3; i++) {
            succeed(cb);
        }
        CircuitBreakerMetrics m = cb.metrics();
        assertThat(m.bufferedCalls()).isEqualTo(3);
        assertThat(m.successfulCalls()).isEqualTo(3);
        assertThat(m.totalSuccessfulCalls()).isEqualTo(3);
    }

    @Test
    void moreSuccessesThanTheWindowHoldsFillItExactlyOnce() {
        CircuitBreaker cb = breaker(10, 10);
        for (int i = 0; i < 1_000; i++) {
            succeed(cb);
        }
        CircuitBreakerMetrics m = cb.metrics();
        assertThat(m.bufferedCalls()).isEqualTo(10);
        assertThat(m.successfulCalls()).isEqualTo(10);
        assertThat(m.failureRate()).isZero();
        assertThat(m.totalSuccessfulCalls()).isEqualTo(1_000);
    }

    @Test
    void earlierSuccessesEnterTheWindowBeforeTheNextFailure() {
        CircuitBreaker cb = breaker(4, 4);
        for (int i = 0; i < 4; i++) {
            succeed(cb);
        }
        fail(cb); // evicts the oldest success: S S S F
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        assertThat(cb.metrics().failureRate()).isEqualTo(25f);
        fail(cb); // S S F F
        assertThat(cb.state()).isEqualTo(State.OPEN);
    }

    @Test
    void aSuccessThatCompletesTheMinimumWithFailuresInTheWindowOpensTheBreakerAtOnce() {
        CircuitBreaker cb = breaker(10, 4);
        fail(cb);
        fail(cb);
        succeed(cb);
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        succeed(cb); // 4 calls, 2 failed: 50 %
        assertThat(cb.state()).isEqualTo(State.OPEN);
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(4);
    }

    @Test
    void successesRecordedBeforeTheBreakerOpensAreFrozenWithTheOpenCounts() {
        CircuitBreaker cb = breaker(10, 4);
        for (int i = 0; i < 4; i++) {
            succeed(cb);
        }
        cb.transitionToOpenState();
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(4);
        assertThat(cb.metrics().successfulCalls()).isEqualTo(4);
    }

    @Test
    void aSuccessOfACallAdmittedBeforeATransitionNeverEntersTheNewWindow() {
        CircuitBreaker cb = breaker(10, 4);
        for (int i = 0; i < 4; i++) {
            succeed(cb);
        }
        assertThat(cb.<String, RuntimeException>call(() -> {
            cb.transitionToOpenState();
            cb.transitionToClosedState();
            return "late";
        })).isEqualTo("late");
        assertThat(cb.metrics().bufferedCalls()).isZero();
        assertThat(cb.metrics().totalSuccessfulCalls()).isEqualTo(5);
    }

    @Test
    void concurrentSuccessesAndFailuresAreEachCountedExactlyOnce() throws Exception {
        int threads = 32;
        int callsPerThread = 20_000;
        // 1 failure in 16 calls stays far below 50 %, so the breaker stays CLOSED throughout
        CircuitBreaker cb = breaker(1_000, 100);
        AtomicLong successes = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<Throwable> errors = race(threads, callsPerThread, oneFailureIn16(cb, successes, failures, 1_000L), null);
        assertThat(errors).isEmpty();
        CircuitBreakerMetrics m = cb.metrics();
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        assertThat(m.totalSuccessfulCalls()).isEqualTo(successes.get()).isEqualTo((long) threads * (callsPerThread - callsPerThread / 16));
        assertThat(m.totalFailedCalls()).isEqualTo(failures.get()).isEqualTo((long) threads * (callsPerThread / 16));
        assertThat(m.bufferedCalls()).isEqualTo(1_000);
        assertThat(m.successfulCalls() + m.failedCalls()).isEqualTo(1_000);
        // Only successes racing a flush can enter the window after a failure that ended later (a few per thread), so
        // the window keeps close to the 1-in-16 mix.
        assertThat(m.failedCalls()).isBetween((long) 1_000 / 16 - 2 * threads, (long) 1_000 / 16 + 2 * threads);
    }

    @Test
    void everySuccessIsCountedOnceWhileAnotherThreadKeepsMovingTheBreaker() throws Exception {
        int threads = 16;
        int callsPerThread = 20_000;
        CircuitBreaker cb = breaker(100, 10);
        AtomicLong successes = new AtomicLong();
        List<Throwable> errors = race(threads, callsPerThread, i -> {
            try {
                cb.call(() -> "ok");
                successes.incrementAndGet();
            } catch (CallNotPermittedException rejected) {
                // the mover had the breaker open: not admitted, not a success
            }
        }, () -> {
            cb.transitionToOpenState();
            cb.transitionToClosedState();
        });
        assertThat(errors).isEmpty();
        // Every admitted call was admitted by a CLOSED state and is recorded, also when that state was left while it ran.
        assertThat(successes.get()).isPositive();
        assertThat(cb.metrics().totalSuccessfulCalls()).isEqualTo(successes.get());
    }

    private CircuitBreaker timeBreaker(int seconds, int minimumCalls) {
        return CircuitBreaker.of("deferred-time", CircuitBreakerConfig.builder()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED).slidingWindowSize(seconds)
                .minimumNumberOfCalls(minimumCalls).failureRateThreshold(50).slowCallDurationThreshold(Duration.ZERO)
                .build(), clock);
    }

    @Test
    void timeWindowSuccessesShowInTheMetricsAtOnce() {
        CircuitBreaker cb = timeBreaker(10, 4);
        for (int i = 0; i < 7; i++) {
            succeed(cb);
        }
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(7);
        assertThat(cb.metrics().totalSuccessfulCalls()).isEqualTo(7);
    }

    @Test
    void timeWindowSuccessesExpireWithTheSecondTheyHappenedIn() {
        CircuitBreaker cb = timeBreaker(2, 4);
        for (int i = 0; i < 5; i++) {
            succeed(cb);
        }
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 3; i++) {
            succeed(cb);
        }
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(8);
        clock.advance(Duration.ofSeconds(1));
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(3);
        clock.advance(Duration.ofSeconds(1));
        assertThat(cb.metrics().bufferedCalls()).isZero();
        assertThat(cb.metrics().totalSuccessfulCalls()).isEqualTo(8);
    }

    @Test
    void timeWindowSuccessesCountAgainstLaterFailuresOfTheSameSecond() {
        CircuitBreaker cb = timeBreaker(10, 4);
        for (int i = 0; i < 3; i++) {
            succeed(cb);
        }
        fail(cb);
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        assertThat(cb.metrics().failureRate()).isEqualTo(25f);
        fail(cb);
        fail(cb); // 3 of 6
        assertThat(cb.state()).isEqualTo(State.OPEN);
    }

    @Test
    void aTimeWindowSuccessThatCompletesTheMinimumWithFailuresInTheWindowOpensTheBreakerAtOnce() {
        CircuitBreaker cb = timeBreaker(10, 4);
        fail(cb);
        fail(cb);
        succeed(cb);
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        succeed(cb);
        assertThat(cb.state()).isEqualTo(State.OPEN);
    }

    @Test
    void timeWindowOutcomesAreEachCountedExactlyOnceWhileTheClockMoves() throws Exception {
        int threads = 16;
        int callsPerThread = 20_000;
        CircuitBreaker cb = timeBreaker(5, 100);
        AtomicLong successes = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<Throwable> errors = race(threads, callsPerThread, oneFailureIn16(cb, successes, failures, Long.MAX_VALUE),
                () -> clock.advance(Duration.ofMillis(100)));
        assertThat(errors).isEmpty();
        CircuitBreakerMetrics m = cb.metrics();
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        assertThat(m.totalSuccessfulCalls()).isEqualTo(successes.get());
        assertThat(m.totalFailedCalls()).isEqualTo(failures.get());
        // The window's totals agree with its per-second buckets: moving the stopped clock on by the window's length
        // empties it; a success added to a total but not to its bucket (or to a bucket twice) would be left over.
        clock.advance(Duration.ofSeconds(5));
        assertThat(cb.metrics().bufferedCalls()).isZero();
        assertThat(cb.metrics().failedCalls()).isZero();
    }

    @Test
    void concurrentTimeWindowOutcomesOfOneSecondEnterTheWindowExactlyOnce() throws Exception {
        int threads = 16;
        int callsPerThread = 5_000;
        CircuitBreaker cb = timeBreaker(10, 100);
        List<Throwable> errors = race(threads, callsPerThread, i -> {
            if (i % 100 == 99) {
                fail(cb);
            } else {
                succeed(cb);
            }
        }, null);
        assertThat(errors).isEmpty();
        CircuitBreakerMetrics m = cb.metrics();
        assertThat(m.bufferedCalls()).isEqualTo((long) threads * callsPerThread);
        assertThat(m.failedCalls()).isEqualTo((long) threads * (callsPerThread / 100));
        assertThat(m.successfulCalls()).isEqualTo(m.totalSuccessfulCalls());
    }
}

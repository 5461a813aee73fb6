package dev.resilience.circuitbreaker;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Real threads released together; every assertion is an exact count. */
class CircuitBreakerConcurrencyTest {

    private final ManualClock clock = new ManualClock();
    private ExecutorService pool;

    @AfterEach
    void stopPool() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private void runAll(int threads, ThrowingRunnable task) throws Exception {
        pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            futures.add(pool.submit(() -> {
                task.run(id);
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    interface ThrowingRunnable {
        void run(int thread) throws Exception;
    }

    private static Queue<String> transitions(CircuitBreaker cb) {
        Queue<String> events = new ConcurrentLinkedQueue<>();
        cb.events().subscribe(e -> {
            if (e.eventType() == CircuitBreakerEvent.Type.STATE_TRANSITION) {
                events.add(e.details().get("from") + "->" + e.details().get("to"));
            }
        });
        return events;
    }

    @Test
    void halfOpenLetsExactlyThePermittedCallsThroughWhen200ThreadsArriveTogether() throws Exception {
        int threads = 200;
        int rounds = 5;
        CircuitBreaker cb = CircuitBreaker.of("hot", CircuitBreakerConfig.builder().permittedNumberOfCallsInHalfOpenState(2)
                .slowCallDurationThreshold(Duration.ZERO).build(), clock);
        AtomicInteger reached = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        AtomicInteger[] reachedPerRound = new AtomicInteger[rounds];
        AtomicInteger[] rejectedPerRound = new AtomicInteger[rounds];
        CountDownLatch[] attempted = new CountDownLatch[rounds];
        for (int r = 0; r < rounds; r++) {
            reachedPerRound[r] = new AtomicInteger();
            rejectedPerRound[r] = new AtomicInteger();
            attempted[r] = new CountDownLatch(threads);
        }
        AtomicInteger round = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads, cb::transitionToHalfOpenState);
        CyclicBarrier end = new CyclicBarrier(threads, round::incrementAndGet);
        runAll(threads, id -> {
            for (int r = 0; r < rounds; r++) {
                start.await();
                int current = round.get();
                try {
                    cb.call(() -> {
                        reachedPerRound[current].incrementAndGet();
                        attempted[current].countDown();
                        // stay in flight until every thread has tried, so no permit can be reused
                        return attempted[current].await(30, TimeUnit.SECONDS);
                    });
                } catch (CallNotPermittedException e) {
                    rejectedPerRound[current].incrementAndGet();
                    attempted[current].countDown();
                }
                end.await();
            }
        });
        for (int r = 0; r < rounds; r++) {
            assertThat(reachedPerRound[r]).as("round %d", r).hasValue(2);
            assertThat(rejectedPerRound[r]).as("round %d", r).hasValue(threads - 2);
            reached.addAndGet(reachedPerRound[r].get());
            rejected.addAndGet(rejectedPerRound[r].get());
        }
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        assertThat(reached).hasValue(2 * rounds);
        assertThat(rejected).hasValue((threads - 2) * rounds);
    }

    @Test
    void racingFailuresOnAWindowOfOneOpenTheBreakerExactlyOncePerRound() throws Exception {
        int threads = 64;
        int rounds = 300;
        int callsPerRound = 4;
        CircuitBreaker cb = CircuitBreaker.of("tiny", CircuitBreakerConfig.builder().slidingWindowSize(1)
                .minimumNumberOfCalls(1).failureRateThreshold(100).slowCallDurationThreshold(Duration.ZERO).build(), clock);
        Queue<String> events = transitions(cb);
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger rejections = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads);
        CyclicBarrier end = new CyclicBarrier(threads, () -> {
            List<String> seen = List.copyOf(events);
            if (!seen.equals(List.of("CLOSED->OPEN")) || cb.state() != State.OPEN) {
                problems.add("round saw " + seen + " ending " + cb.state());
            }
            cb.reset();
            events.clear(); // the reset's own OPEN->CLOSED event

        });
        runAll(threads, id -> {
            for (int r = 0; r < rounds; r++) {
                start.await();
                for (int c = 0; c < callsPerRound; c++) {
                    try {
                        cb.call(() -> {
                            throw new IOException("down");
                        });
                    } catch (IOException e) {
                        failures.incrementAndGet();
                    } catch (CallNotPermittedException e) {
                        rejections.incrementAndGet();
                    }
                }
                end.await();
            }
        });
        assertThat(problems).isEmpty();
        assertThat(failures.get() + rejections.get()).isEqualTo(threads * rounds * callsPerRound);
        assertThat(failures.get()).isGreaterThanOrEqualTo(rounds);
    }

    @Test
    void randomOutcomesKeepMetricsConsistentAtEverySampleAndExactAtTheEnd() throws Exception {
        int threads = 32;
        int callsPerThread = 2_000;
        int window = 1_000;
        CircuitBreaker cb = CircuitBreaker.of("mixed", CircuitBreakerConfig.builder().slidingWindowSize(window)
                .failureRateThreshold(100).slowCallRateThreshold(100).slowCallDurationThreshold(Duration.ZERO).build(), clock);
        AtomicBoolean running = new AtomicBoolean(true);
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger samples = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                CircuitBreakerMetrics m = cb.metrics();
                samples.incrementAndGet();
                if (!(0 <= m.slowFailedCalls() && m.slowFailedCalls() <= m.failedCalls() && m.failedCalls() <= m.bufferedCalls()
                        && m.bufferedCalls() <= window && m.successfulCalls() + m.failedCalls() == m.bufferedCalls())) {
                    problems.add(m.toString());
                }
                Thread.onSpinWait();
            }
        });
        sampler.start();
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicInteger failed = new AtomicInteger();
        try {
            runAll(threads, id -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < callsPerThread; i++) {
                    try {
                        boolean fail = random.nextBoolean();
                        cb.call(() -> {
                            if (fail) {
                                throw new IllegalStateException();
                            }
                            return fail;
                        });
                    } catch (IllegalStateException e) {
                        failed.incrementAndGet();
                    }
                }
            });
        } finally {
            running.set(false);
            sampler.join(10_000);
        }
        assertThat(problems).isEmpty();
        assertThat(samples.get()).isPositive();
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        CircuitBreakerMetrics m = cb.metrics();
        assertThat(m.bufferedCalls()).isEqualTo(window);
        assertThat(m.failedCalls() + m.successfulCalls()).isEqualTo(window);
        assertThat(failed.get()).isBetween(1, threads * callsPerThread - 1);
    }

    @Test
    void racingManualTransitionsPublishOneEvent() throws Exception {
        int threads = 48;
        CircuitBreaker cb = CircuitBreaker.of("manual", CircuitBreakerConfig.defaults(), clock);
        Queue<String> events = transitions(cb);
        CyclicBarrier start = new CyclicBarrier(threads);
        runAll(threads, id -> {
            start.await();
            cb.transitionToForcedOpenState();
        });
        assertThat(events).containsExactly("CLOSED->FORCED_OPEN");
    }

    @Test
    void racingCallsAfterTheOpenWaitMoveToHalfOpenWithOneEvent() throws Exception {
        int threads = 48;
        CircuitBreaker cb = CircuitBreaker.of("lazy", CircuitBreakerConfig.builder().permittedNumberOfCallsInHalfOpenState(threads)
                .waitDurationInOpenState(Duration.ofSeconds(5)).build(), clock);
        cb.transitionToOpenState();
        clock.advance(Duration.ofSeconds(5));
        Queue<String> events = transitions(cb);
        CountDownLatch allIn = new CountDownLatch(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicInteger admitted = new AtomicInteger();
        runAll(threads, id -> {
            start.await();
            cb.call(() -> {
                admitted.incrementAndGet();
                allIn.countDown();
                return allIn.await(30, TimeUnit.SECONDS);
            });
        });
        assertThat(admitted).hasValue(threads);
        assertThat(events).containsExactly("OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    }

    @Test
    void everyRejectionOfAnOpenBreakerIsCountedOnceAndCarriesTheRemainingWait() throws Exception {
        int threads = 16;
        int callsPerThread = 5_000;
        CircuitBreaker cb = CircuitBreaker.of("shut", CircuitBreakerConfig.builder()
                .waitDurationInOpenState(Duration.ofSeconds(10)).build(), clock);
        cb.transitionToOpenState();
        clock.advance(Duration.ofSeconds(3));
        AtomicInteger rejected = new AtomicInteger();
        AtomicInteger wrongWait = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads);
        runAll(threads, id -> {
            start.await();
            for (int i = 0; i < callsPerThread; i++) {
                try {
                    cb.call(() -> "never");
                } catch (CallNotPermittedException e) {
                    rejected.incrementAndGet();
                    if (!e.retryAfter().equals(java.util.Optional.of(Duration.ofSeconds(7)))) {
                        wrongWait.incrementAndGet();
                    }
                }
            }
        });
        assertThat(rejected).hasValue(threads * callsPerThread);
        assertThat(wrongWait).hasValue(0);
        assertThat(cb.metrics().notPermittedCalls()).isEqualTo(threads * callsPerThread);
        assertThat(cb.state()).isEqualTo(State.OPEN);
    }
}

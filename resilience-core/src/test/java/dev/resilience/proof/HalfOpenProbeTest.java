package dev.resilience.proof;

import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Half-open probes: their slots are never lost (ignored errors, cancelled futures), never over-granted under a
 * stampede, and only probes decide the half-open state.
 */
class HalfOpenProbeTest {

    private static final Duration OPEN_WAIT = Duration.ofSeconds(10);

    private final ManualClock clock = new ManualClock();

    /** An exception the breakers here are told to ignore. */
    static final class IgnoredException extends RuntimeException {
        IgnoredException() {
            super("ignored by the breaker");
        }
    }

    private CircuitBreaker halfOpenBreaker(int permittedProbes) {
        CircuitBreaker breaker = CircuitBreaker.of("probe", CircuitBreakerConfig.builder()
                .slidingWindowSize(4).minimumNumberOfCalls(4)
                .waitDurationInOpenState(OPEN_WAIT)
                .permittedNumberOfCallsInHalfOpenState(permittedProbes)
                .ignoreExceptions(IgnoredException.class)
                .build(), clock);
        breaker.transitionToOpenState();
        clock.advance(OPEN_WAIT);
        return breaker;
    }

    @Test
    void probesThatAllThrowAnIgnoredExceptionLeaveTheNextCallAdmitted() {
        CircuitBreaker breaker = halfOpenBreaker(2);

        for (int probe = 0; probe < 2; probe++) {
            assertThatThrownBy(() -> breaker.call(() -> {
                throw new IgnoredException();
            })).isInstanceOf(IgnoredException.class);
        }

        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.call(() -> "admitted")).isEqualTo("admitted");
        assertThat(breaker.call(() -> "admitted")).isEqualTo("admitted");
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void aProbeWhoseFutureIsCancelledReleasesItsSlot() {
        CircuitBreaker breaker = halfOpenBreaker(1);
        CompletableFuture<String> pending = new CompletableFuture<>();

        CompletionStage<String> probe = breaker.callAsync(() -> pending);
        assertThatThrownBy(() -> breaker.call(() -> "while the probe runs")).isInstanceOf(CallNotPermittedException.class);
        probe.toCompletableFuture().cancel(true);

        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.call(() -> "next probe")).isEqualTo("next probe");
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void asynchronousProbesThatAllFailWithAnIgnoredExceptionLeaveTheNextCallAdmitted() {
        CircuitBreaker breaker = halfOpenBreaker(2);

        for (int probe = 0; probe < 2; probe++) {
            CompletionStage<String> failed = breaker.callAsync(() -> CompletableFuture.failedFuture(new IgnoredException()));
            assertThat(failed.toCompletableFuture()).isCompletedExceptionally();
        }

        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.call(() -> "admitted")).isEqualTo("admitted");
    }

    @Test
    void aProbeWhoseMethodCancelsItsOwnFutureReleasesItsSlot() {
        CircuitBreaker breaker = halfOpenBreaker(1);
        CompletableFuture<String> pending = new CompletableFuture<>();

        breaker.callAsync(() -> pending);
        pending.cancel(false);

        assertThat(breaker.call(() -> "next probe")).isEqualTo("next probe");
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void exactlyThePermittedProbesReachTheMethodWhen200ThreadsArriveJustAfterTheOpenWait() throws Exception {
        int threads = 200;
        CircuitBreaker breaker = CircuitBreaker.of("stampede", CircuitBreakerConfig.builder()
                .slidingWindowSize(4).minimumNumberOfCalls(4)
                .waitDurationInOpenState(OPEN_WAIT)
                .permittedNumberOfCallsInHalfOpenState(2)
                .build(), clock);
        breaker.transitionToOpenState();
        AtomicInteger reachedMethod = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        CountDownLatch allDecided = new CountDownLatch(threads);
        CyclicBarrier together = new CyclicBarrier(threads, () -> clock.advance(OPEN_WAIT));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    try {
                        return breaker.call(() -> {
                            reachedMethod.incrementAndGet();
                            allDecided.countDown();
                            // Probes stay in flight until every thread has been admitted or refused.
                            if (!allDecided.await(30, TimeUnit.SECONDS)) {
                                throw new AssertionError("not every thread was decided");
                            }
                            return "probe";
                        });
                    } catch (CallNotPermittedException e) {
                        rejected.incrementAndGet();
                        allDecided.countDown();
                        return "rejected";
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(reachedMethod).hasValue(2);
        assertThat(rejected).hasValue(threads - 2);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void exactlyThePermittedAsynchronousProbesStartWhen200ThreadsArriveJustAfterTheOpenWait() throws Exception {
        int threads = 200;
        CircuitBreaker breaker = CircuitBreaker.of("async-stampede", CircuitBreakerConfig.builder()
                .slidingWindowSize(4).minimumNumberOfCalls(4)
                .waitDurationInOpenState(OPEN_WAIT)
                .permittedNumberOfCallsInHalfOpenState(2)
                .build(), clock);
        breaker.transitionToOpenState();
        AtomicInteger started = new AtomicInteger();
        CompletableFuture<String> probesEnd = new CompletableFuture<>();
        CyclicBarrier together = new CyclicBarrier(threads, () -> clock.advance(OPEN_WAIT));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<CompletableFuture<String>> results = new ArrayList<>();
        try {
            List<Future<CompletableFuture<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    return breaker.callAsync(() -> {
                        started.incrementAndGet();
                        return probesEnd; // probes stay in flight until every thread has asked
                    }).toCompletableFuture();
                }));
            }
            for (Future<CompletableFuture<String>> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(started).hasValue(2);
        assertThat(results).filteredOn(CompletableFuture::isCompletedExceptionally).hasSize(threads - 2)
                .allSatisfy(r -> assertThatThrownBy(r::join).hasCauseInstanceOf(CallNotPermittedException.class));
        probesEnd.complete("probe");
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void callsAdmittedWhileClosedThatEndDuringHalfOpenDoNotDecideTheState() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.of("stale", CircuitBreakerConfig.builder()
                .slidingWindowSize(4).minimumNumberOfCalls(4)
                .waitDurationInOpenState(OPEN_WAIT)
                .permittedNumberOfCallsInHalfOpenState(2)
                .build(), clock);
        int stale = 5;
        CountDownLatch admitted = new CountDownLatch(stale);
        CountDownLatch finish = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(stale);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < stale; i++) {
                futures.add(pool.submit(() -> breaker.call(() -> {
                    admitted.countDown();
                    finish.await(30, TimeUnit.SECONDS);
                    throw new IllegalStateException("failure of a call admitted while CLOSED");
                })));
            }
            assertThat(admitted.await(30, TimeUnit.SECONDS)).isTrue();
            breaker.transitionToOpenState();
            clock.advance(OPEN_WAIT);
            breaker.transitionToHalfOpenState();

            finish.countDown();
            for (Future<?> future : futures) {
                assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.metrics().bufferedCalls()).isZero();
        assertThat(breaker.call(() -> "probe 1")).isEqualTo("probe 1");
        assertThat(breaker.call(() -> "probe 2")).isEqualTo("probe 2");
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }
}

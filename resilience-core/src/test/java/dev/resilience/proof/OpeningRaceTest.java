package dev.resilience.proof;

import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerEvent;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Many threads failing at once on a one-call window open the breaker exactly once, round after round. */
class OpeningRaceTest {

    static final int THREADS = 64;
    static final int ROUNDS = 10_000;

    @Test
    void sixtyFourSimultaneousFailuresOnAOneCallWindowOpenTheBreakerExactlyOncePerRound() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.of("race", CircuitBreakerConfig.builder()
                .slidingWindowSize(1).minimumNumberOfCalls(1).failureRateThreshold(100)
                .build(), new ManualClock());
        AtomicInteger opensThisRound = new AtomicInteger();
        breaker.events().subscribe(event -> {
            if (event.eventType() == CircuitBreakerEvent.Type.STATE_TRANSITION
                    && event.details().equals(Map.of("from", "CLOSED", "to", "OPEN"))) {
                opensThisRound.incrementAndGet();
            }
        });
        List<String> wrongRounds = new ArrayList<>();
        AtomicInteger round = new AtomicInteger(-1);
        // Runs when every thread has finished the previous round: check it, then start a fresh CLOSED breaker.
        CyclicBarrier nextRound = new CyclicBarrier(THREADS, () -> {
            int finished = round.getAndIncrement();
            int opens = opensThisRound.getAndSet(0);
            if (finished >= 0 && opens != 1 && wrongRounds.size() < 10) {
                wrongRounds.add("round " + finished + ": " + opens + " CLOSED->OPEN transitions");
            }
            breaker.reset();
        });
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        IllegalStateException failure = new IllegalStateException("recorded failure");
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int r = 0; r < ROUNDS; r++) {
                        nextRound.await(60, TimeUnit.SECONDS);
                        try {
                            breaker.call(() -> {
                                throw failure;
                            });
                        } catch (IllegalStateException | CallNotPermittedException expected) {
                            // a recorded failure, or refused because another thread's failure opened the breaker
                        }
                    }
                    nextRound.await(60, TimeUnit.SECONDS);
                } catch (Throwable t1) {
                    unexpected.add(t1);
                    nextRound.reset();
                }
            }, "opening-race-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(120));
            assertThat(thread.isAlive()).as("%s ended", thread.getName()).isFalse();
        }
        System.out.printf("OpeningRaceTest: %d threads x %d rounds in %d ms%n",
                THREADS, ROUNDS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

        assertThat(unexpected).isEmpty();
        assertThat(wrongRounds).isEmpty();
        assertThat(round).hasValue(ROUNDS);
    }
}

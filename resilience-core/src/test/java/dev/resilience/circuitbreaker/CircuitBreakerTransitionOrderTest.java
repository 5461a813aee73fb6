package dev.resilience.circuitbreaker;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Transition events reach a listener one at a time, in the order the transitions happened. */
class CircuitBreakerTransitionOrderTest {

    private final ManualClock clock = new ManualClock();
    private ExecutorService pool;

    @AfterEach
    void stopPool() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Records every transition and checks, as it arrives, that it starts where the previous one ended. */
    private static final class SequenceChecker {
        final List<String> problems = new ArrayList<>();
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger seen = new AtomicInteger();
        String last = State.CLOSED.name();

        void onTransition(CircuitBreakerEvent e) {
            if (inside.incrementAndGet() != 1) {
                problems.add("two transition events delivered at once");
            }
            String from = (String) e.details().get("from");
            String to = (String) e.details().get("to");
            if (!from.equals(last) && problems.size() < 10) {
                problems.add("after ->" + last + " came " + from + "->" + to);
            }
            last = to;
            seen.incrementAndGet();
            inside.decrementAndGet();
        }
    }

    @Test
    void transitionsRacingWithManualTransitionsAreSeenAsOneValidSequence() throws Exception {
        int failingThreads = 6;
        int manualRounds = 3_000;
        CircuitBreaker cb = CircuitBreaker.of("race", CircuitBreakerConfig.builder().slidingWindowSize(1)
                .minimumNumberOfCalls(1).failureRateThreshold(100).slowCallDurationThreshold(Duration.ZERO)
                .permittedNumberOfCallsInHalfOpenState(1).waitDurationInOpenState(Duration.ofSeconds(1)).build(), clock);
        SequenceChecker checker = new SequenceChecker();
        cb.events().subscribe(e -> {
            if (e.eventType() == CircuitBreakerEvent.Type.STATE_TRANSITION) {
                checker.onTransition(e);
            }
        });
        AtomicBoolean running = new AtomicBoolean(true);
        CyclicBarrier start = new CyclicBarrier(failingThreads + 1);
        pool = Executors.newFixedThreadPool(failingThreads + 1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < failingThreads; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                while (running.get()) {
                    try {
                        cb.call(() -> {
                            throw new IOException("down"); // CLOSED->OPEN, or HALF_OPEN->OPEN
                        });
                    } catch (IOException | CallNotPermittedException expected) {
                        // either way the breaker moved or refused
                    }
                }
                return null;
            }));
        }
        futures.add(pool.submit(() -> {
            start.await();
            try {
                for (int r = 0; r < manualRounds; r++) {
                    switch (r % 5) {
                        case 0 -> cb.transitionToClosedState();
                        case 1 -> cb.transitionToHalfOpenState();
                        case 2 -> cb.transitionToForcedOpenState();
                        case 3 -> cb.reset();
                        default -> {
                            cb.transitionToClosedState();
                            clock.advance(Duration.ofSeconds(1)); // lets an OPEN breaker half-open on the next call
                        }
                    }
                }
            } finally {
                running.set(false);
            }
            return null;
        }));
        for (Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        assertThat(checker.problems).isEmpty();
        assertThat(checker.seen.get()).isGreaterThanOrEqualTo(manualRounds * 3 / 5);
        assertThat(checker.last).isEqualTo(cb.state().name());
    }

    @Test
    void aListenerThatTransitionsTheBreakerHasItsTransitionPublishedAfterItReturns() {
        CircuitBreaker cb = CircuitBreaker.of("reentrant", CircuitBreakerConfig.defaults(), clock);
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        cb.events().subscribe(e -> {
            if (e.eventType() == CircuitBreakerEvent.Type.STATE_TRANSITION) {
                first.add(e.details().get("from") + "->" + e.details().get("to"));
                if ("FORCED_OPEN".equals(e.details().get("to"))) {
                    cb.transitionToClosedState(); // from inside the delivery of CLOSED->FORCED_OPEN
                }
            }
        });
        cb.events().subscribe(e -> {
            if (e.eventType() == CircuitBreakerEvent.Type.STATE_TRANSITION) {
                second.add(e.details().get("from") + "->" + e.details().get("to"));
            }
        });
        cb.transitionToForcedOpenState();
        assertThat(first).containsExactly("CLOSED->FORCED_OPEN", "FORCED_OPEN->CLOSED");
        assertThat(second).containsExactly("CLOSED->FORCED_OPEN", "FORCED_OPEN->CLOSED");
        assertThat(cb.state()).isEqualTo(State.CLOSED);
    }
}

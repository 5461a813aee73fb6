package dev.resilience.circuitbreaker;

import dev.resilience.circuitbreaker.CircuitBreaker.Permit;
import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.ManualClock;
import dev.resilience.core.Together;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads acquiring and finishing permits, some finished twice by two racing threads: every permit is
 * recorded once, by whichever finish won, and every half-open trial given back once.
 */
class CircuitBreakerPermitConcurrencyTest {

    private static final int THREADS = 8;
    private static final int PERMITS_PER_THREAD = 4_000;

    /** The outcome tallies of the finishes that won (returned true). */
    private static final class Tally {
        final LongAdder successes = new LongAdder();
        final LongAdder failures = new LongAdder();
        final LongAdder ignored = new LongAdder();
        final LongAdder wins = new LongAdder();
    }

    /** Finishes a permit with a random outcome and tallies it if this finish won. */
    private static void finishRandomly(Permit permit, Tally tally) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        boolean won;
        LongAdder outcome;
        switch (random.nextInt(6)) {
            case 0 -> {
                won = permit.onSuccess();
                outcome = tally.successes;
            }
            case 1 -> {
                won = permit.onSuccess(Duration.ofMillis(random.nextInt(5)));
                outcome = tally.successes;
            }
            case 2 -> {
                won = permit.onError(new IOException("recorded"));
                outcome = tally.failures;
            }
            case 3 -> {
                won = permit.onError(new IOException("recorded"), Duration.ofMillis(1));
                outcome = tally.failures;
            }
            case 4 -> {
                won = permit.onError(new IllegalStateException("ignored by config"));
                outcome = tally.ignored;
            }
            default -> {
                won = permit.onIgnore();
                outcome = tally.ignored;
            }
        }
        if (won) {
            outcome.increment();
            tally.wins.increment();
        }
    }

    /**
     * Runs {@code THREADS} tasks that start together; task {@code t} finishes permit {@code i} when
     * {@code i % THREADS == t}, and also when {@code (i + 1) % THREADS == t} for every third permit, so that two
     * threads walking the array side by side race to finish those.
     */
    private static void finishAll(AtomicReferenceArray<Permit> permits, Tally tally) throws Exception {
        Together.run(THREADS, me -> {
            for (int i = 0; i < permits.length(); i++) {
                boolean mine = i % THREADS == me;
                boolean raced = i % 3 == 0 && (i + 1) % THREADS == me;
                if (mine || raced) {
                    finishRandomly(permits.get(i), tally);
                }
            }
        });
    }

    @Test
    void everyPermitIsRecordedOnceByTheFinishThatWon() throws Exception {
        int total = THREADS * PERMITS_PER_THREAD;
        // A window that holds every call and never reaches its minimum: nothing opens, every outcome stays in view.
        CircuitBreaker cb = CircuitBreaker.of("many", CircuitBreakerConfig.builder()
                .slidingWindowSize(CircuitBreakerConfig.MAX_COUNT_WINDOW_SIZE)
                .minimumNumberOfCalls(CircuitBreakerConfig.MAX_COUNT_WINDOW_SIZE)
                .ignoreExceptions(IllegalStateException.class).build(), new ManualClock());
        AtomicReferenceArray<Permit> permits = new AtomicReferenceArray<>(total);
        Together.run(THREADS, me -> {
            for (int i = me; i < total; i += THREADS) {
                permits.set(i, cb.tryAcquire());
            }
        });
        Tally tally = new Tally();
        finishAll(permits, tally);

        assertThat(tally.wins.sum()).as("exactly one finish of each permit won").isEqualTo(total);
        CircuitBreakerMetrics metrics = cb.metrics();
        assertThat(metrics.state()).isEqualTo(State.CLOSED);
        assertThat(metrics.totalSuccessfulCalls()).isEqualTo(tally.successes.sum());
        assertThat(metrics.totalFailedCalls()).isEqualTo(tally.failures.sum());
        assertThat(metrics.totalIgnoredCalls()).isEqualTo(tally.ignored.sum());
        assertThat(metrics.successfulCalls()).isEqualTo(tally.successes.sum());
        assertThat(metrics.failedCalls()).isEqualTo(tally.failures.sum());
        assertThat(metrics.bufferedCalls()).isEqualTo(tally.successes.sum() + tally.failures.sum());
        assertThat(metrics.notPermittedCalls()).isZero();
    }

    @Test
    void halfOpenTrialsAreHandedOutAndGivenBackExactly() throws Exception {
        int trials = 2_000;
        CircuitBreaker cb = CircuitBreaker.of("trials", CircuitBreakerConfig.builder()
                .permittedNumberOfCallsInHalfOpenState(trials).failureRateThreshold(100)
                .slowCallDurationThreshold(Duration.ZERO).ignoreExceptions(IllegalStateException.class).build(),
                new ManualClock());
        cb.transitionToHalfOpenState();

        // Phase 1: many threads take trials until the breaker refuses; exactly `trials` are handed out.
        ConcurrentLinkedQueue<Permit> taken = new ConcurrentLinkedQueue<>();
        acquireUntilRefused(cb, taken);
        assertThat(taken).hasSize(trials);

        // Phase 2: finish them all, a third of them twice in a race, with random outcomes; the trial window cannot
        // fill while any trial was given back, so the breaker stays HALF_OPEN.
        AtomicReferenceArray<Permit> permits = new AtomicReferenceArray<>(taken.toArray(new Permit[0]));
        Tally tally = new Tally();
        finishAll(permits, tally);
        assertThat(tally.wins.sum()).isEqualTo(trials);
        long recorded = tally.successes.sum() + tally.failures.sum();
        long givenBack = tally.ignored.sum();
        assertThat(recorded + givenBack).isEqualTo(trials);
        assertThat(cb.state()).isEqualTo(State.HALF_OPEN);
        assertThat(cb.metrics().bufferedCalls()).isEqualTo(recorded);

        // Phase 3: exactly the trials given back can be taken again.
        ConcurrentLinkedQueue<Permit> again = new ConcurrentLinkedQueue<>();
        acquireUntilRefused(cb, again);
        assertThat(again).hasSize((int) givenBack);
        assertThat(cb.metrics().notPermittedCalls()).isEqualTo(2L * THREADS);

        // Their successes complete the trial window, which decides CLOSED.
        again.forEach(Permit::onSuccess);
        assertThat(cb.state()).isEqualTo(State.CLOSED);
        assertThat(cb.metrics().totalSuccessfulCalls()).isEqualTo(tally.successes.sum() + givenBack);
        assertThat(cb.metrics().totalFailedCalls()).isEqualTo(tally.failures.sum());
        assertThat(cb.metrics().totalIgnoredCalls()).isEqualTo(givenBack);
    }

    /** Each of {@code THREADS} threads takes permits until refused once. */
    private static void acquireUntilRefused(CircuitBreaker cb, ConcurrentLinkedQueue<Permit> into) throws Exception {
        Together.run(THREADS, me -> {
            Permit permit;
            while ((permit = cb.tryAcquire()) != null) {
                into.add(permit);
            }
        });
    }
}

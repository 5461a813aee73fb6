package dev.resilience.circuitbreaker;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import dev.resilience.core.ManualClock;
import dev.resilience.core.Together;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link CircuitBreaker#reconfigure}: a running breaker takes a new configuration and keeps its state and window. */
class CircuitBreakerReconfigurationTest {

    private final ManualClock clock = new ManualClock();

    private static CircuitBreakerConfig.Builder counting(int size) {
        return CircuitBreakerConfig.builder().slidingWindowType(SlidingWindowType.COUNT_BASED).slidingWindowSize(size)
                .minimumNumberOfCalls(size).failureRateThreshold(100).waitDurationInOpenState(Duration.ofSeconds(60));
    }

    private static void fail(CircuitBreaker breaker) {
        assertThatThrownBy(() -> breaker.call(() -> {
            throw new IOException("down");
        })).isInstanceOf(IOException.class);
    }

    private static void succeed(CircuitBreaker breaker) {
        assertThat(breaker.call(() -> "ok")).isEqualTo("ok");
    }

    @Test
    void changingThresholdsKeepsTheWindowAndTheState() {
        CircuitBreaker breaker = CircuitBreaker.of("b", counting(10).build(), clock);
        fail(breaker);
        fail(breaker);
        succeed(breaker);

        breaker.reconfigure(counting(10).failureRateThreshold(80).slowCallRateThreshold(90).build());

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.metrics().bufferedCalls()).isEqualTo(3);
        assertThat(breaker.metrics().failedCalls()).isEqualTo(2);
        assertThat(breaker.config().failureRateThreshold()).isEqualTo(80f);
    }

    @Test
    void aShrunkCountWindowKeepsTheLatestOutcomesThatFit() {
        CircuitBreaker breaker = CircuitBreaker.of("b", counting(10).build(), clock);
        fail(breaker);
        fail(breaker);
        succeed(breaker);
        succeed(breaker);
        fail(breaker);

        breaker.reconfigure(counting(3).build());

        CircuitBreakerMetrics metrics = breaker.metrics();
        assertThat(metrics.bufferedCalls()).isEqualTo(3);
        assertThat(metrics.failedCalls()).isEqualTo(1); // success, success, failure
        assertThat(metrics.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void aGrownCountWindowKeepsEverythingAndFillsUpToItsNewSize() {
        CircuitBreaker breaker = CircuitBreaker.of("b", counting(3).minimumNumberOfCalls(100).build(), clock);
        fail(breaker);
        succeed(breaker);
        succeed(breaker);

        breaker.reconfigure(counting(5).minimumNumberOfCalls(100).build());
        for (int i = 0; i < 4; i++) {
            succeed(breaker);
        }

        assertThat(breaker.metrics().bufferedCalls()).isEqualTo(5);
        assertThat(breaker.metrics().failedCalls()).isZero(); // the failure was the oldest of 7
    }

    @Test
    void aCallAdmittedBeforeAResizeIsRecordedInTheNewWindow() {
        CircuitBreaker breaker = CircuitBreaker.of("b", counting(10).build(), clock);
        fail(breaker);
        CircuitBreaker.Permit inFlight = breaker.tryAcquire();

        breaker.reconfigure(counting(20).build());
        inFlight.onError(new IOException("late"));

        assertThat(breaker.metrics().bufferedCalls()).isEqualTo(2);
        assertThat(breaker.metrics().failedCalls()).isEqualTo(2);
    }

    @Test
    void aCallInFlightIsClassifiedByTheSettingsItWasAdmittedUnder() {
        CircuitBreaker breaker = CircuitBreaker.of("b", counting(10).build(), clock);
        CircuitBreaker.Permit inFlight = breaker.tryAcquire();

        breaker.reconfigure(counting(10).ignoreExceptions(IOException.class).build());
        inFlight.onError(new IOException("late"));
        fail(breaker); // admitted under the new settings: ignored

        assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
        assertThat(breaker.metrics().bufferedCalls()).isEqualTo(1);
    }

    @Test
    void aCallInFlightIsTimedByTheSlowCallThresholdItWasAdmittedUnder() {
        CircuitBreaker breaker = CircuitBreaker.of("b",
                counting(10).slowCallDurationThreshold(Duration.ofSeconds(10)).build(), clock);
        CircuitBreaker.Permit inFlight = breaker.tryAcquire();

        breaker.reconfigure(counting(10).slowCallDurationThreshold(Duration.ofSeconds(1)).build());
        clock.advance(Duration.ofSeconds(5));
        inFlight.onSuccess();

        assertThat(breaker.metrics().slowCalls()).isZero();
        assertThat(breaker.metrics().bufferedCalls()).isEqualTo(1);
    }

    @Test
    void aLoweredThresholdAppliesAtTheNextRecordedOutcomeNotAtTheChange() {
        CircuitBreaker breaker = CircuitBreaker.of("b", counting(4).failureRateThreshold(75).build(), clock);
        fail(breaker);
        succeed(breaker);
        succeed(breaker);
        fail(breaker); // 50 %: under 75

        breaker.reconfigure(counting(4).failureRateThreshold(50).build());
        assertThat(breaker.state()).isEqualTo(State.CLOSED);

        fail(breaker); // evicts the first failure: still 2 of 4, now at the threshold
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void anOpenBreakerKeepsTheWaitItOpenedWithAndTheNextOpeningUsesTheNewOne() {
        CircuitBreaker breaker = CircuitBreaker.of("b", counting(2).permittedNumberOfCallsInHalfOpenState(1).build(), clock);
        fail(breaker);
        fail(breaker);
        assertThat(breaker.state()).isEqualTo(State.OPEN);

        breaker.reconfigure(counting(2).permittedNumberOfCallsInHalfOpenState(1)
                .waitDurationInOpenState(Duration.ofSeconds(5)).build());
        clock.advance(Duration.ofSeconds(10));
        assertThat(breaker.tryAcquire()).isNull(); // still the 60 s of its opening
        assertThat(breaker.state()).isEqualTo(State.OPEN);

        clock.advance(Duration.ofSeconds(50));
        fail(breaker); // the trial call fails: opens again, now for 5 s
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        clock.advance(Duration.ofSeconds(5));
        succeed(breaker);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void aHalfOpenBreakerKeepsItsTrialPermitsAndTheNextHalfOpenUsesTheNewNumber() {
        CircuitBreaker breaker = CircuitBreaker.of("b", counting(2).permittedNumberOfCallsInHalfOpenState(2).build(), clock);
        breaker.transitionToHalfOpenState();

        breaker.reconfigure(counting(2).permittedNumberOfCallsInHalfOpenState(5).build());

        List<CircuitBreaker.Permit> trials = new ArrayList<>();
        CircuitBreaker.Permit permit;
        while ((permit = breaker.tryAcquire()) != null) {
            trials.add(permit);
        }
        assertThat(trials).hasSize(2);
        trials.forEach(p -> p.onError(new IOException("down")));
        assertThat(breaker.state()).isEqualTo(State.OPEN);

        breaker.transitionToHalfOpenState();
        trials.clear();
        while ((permit = breaker.tryAcquire()) != null) {
            trials.add(permit);
        }
        assertThat(trials).hasSize(5);
    }

    @Test
    void aResizedTimeWindowKeepsTheLatestSecondsThatFit() {
        CircuitBreakerConfig.Builder timed = CircuitBreakerConfig.builder().slidingWindowType(SlidingWindowType.TIME_BASED)
                .slidingWindowSize(10).minimumNumberOfCalls(100).failureRateThreshold(100);
        CircuitBreaker breaker = CircuitBreaker.of("b", timed.build(), clock);
        for (int second = 0; second < 5; second++) {
            fail(breaker); // one failure in each of seconds 0 to 4
            clock.advance(Duration.ofSeconds(1));
        }
        succeed(breaker); // second 5

        breaker.reconfigure(timed.slidingWindowSize(3).build());

        assertThat(breaker.metrics().bufferedCalls()).isEqualTo(3); // seconds 3, 4, 5
        assertThat(breaker.metrics().failedCalls()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(2));
        assertThat(breaker.metrics().bufferedCalls()).isEqualTo(1); // seconds 5, 6, 7: the window moves on as 3 s
    }

    @Test
    void aChangeOfWindowTypeKeepsTheStateAndStartsAnEmptyWindow() {
        CircuitBreaker breaker = CircuitBreaker.of("b", counting(10).build(), clock);
        fail(breaker);

        breaker.reconfigure(CircuitBreakerConfig.builder().slidingWindowType(SlidingWindowType.TIME_BASED)
                .slidingWindowSize(10).minimumNumberOfCalls(10).build());
        fail(breaker);

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.metrics().bufferedCalls()).isEqualTo(1);
        assertThat(breaker.metrics().totalFailedCalls()).isEqualTo(2);
    }

    @Test
    void aChangePublishesConfigChangedAndNoTransition() {
        CircuitBreaker breaker = CircuitBreaker.of("b", counting(10).build(), clock);
        List<CircuitBreakerEvent> events = new ArrayList<>();
        breaker.events().subscribe(events::add);

        CircuitBreakerConfig next = counting(20).build();
        breaker.reconfigure(next);

        assertThat(events).extracting(CircuitBreakerEvent::eventType).containsExactly(CircuitBreakerEvent.Type.CONFIG_CHANGED);
        assertThat(events.get(0).details()).containsEntry("to", next.toString());
        assertThat(breaker.config()).isSameAs(next);
    }

    /**
     * Many threads record outcomes while the window is resized again and again, every size holding all of them: every
     * outcome must be in the window at the end, exactly once, however it raced a resize.
     */
    @Test
    void resizingACountWindowUnderLoadLosesNoOutcomeAndCountsNoneTwice() throws Exception {
        resizeUnderLoad(SlidingWindowType.COUNT_BASED, 8_000, 9_000);
    }

    @Test
    void resizingATimeWindowUnderLoadLosesNoOutcomeAndCountsNoneTwice() throws Exception {
        resizeUnderLoad(SlidingWindowType.TIME_BASED, 10, 20);
    }

    private void resizeUnderLoad(SlidingWindowType type, int size, int otherSize) throws Exception {
        int threads = 4;
        int callsEach = 1_500;
        CircuitBreakerConfig.Builder config = CircuitBreakerConfig.builder().slidingWindowType(type)
                .minimumNumberOfCalls(1).failureRateThreshold(100).slowCallRateThreshold(100);
        CircuitBreaker breaker = CircuitBreaker.of("b", config.slidingWindowSize(size).build(), clock);
        // Successes first, so that no moment of the run sees a window of failures only (100 % would open it).
        int prefilled = 100;
        for (int i = 0; i < prefilled; i++) {
            succeed(breaker);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong resizes = new AtomicLong();
        CountDownLatch resizerDone = new CountDownLatch(1);
        Thread resizer = new Thread(() -> {
            try {
                for (int i = 0; running.get(); i++) {
                    breaker.reconfigure(config.slidingWindowSize(i % 2 == 0 ? otherSize : size).build());
                    resizes.incrementAndGet();
                }
            } finally {
                resizerDone.countDown();
            }
        });
        resizer.start();
        AtomicLong failures = new AtomicLong();
        try {
            Together.run(threads, me -> {
                for (int i = 0; i < callsEach; i++) {
                    // Every third call fails, so the window never holds only failures (100 % would open it).
                    if ((i + me) % 3 == 0 && i > 0) {
                        failures.incrementAndGet();
                        fail(breaker);
                    } else {
                        succeed(breaker);
                    }
                }
            });
        } finally {
            running.set(false);
            assertThat(resizerDone.await(30, TimeUnit.SECONDS)).isTrue();
        }

        CircuitBreakerMetrics metrics = breaker.metrics();
        assertThat(resizes.get()).isPositive();
        assertThat(metrics.state()).isEqualTo(State.CLOSED);
        assertThat(metrics.bufferedCalls()).isEqualTo((long) threads * callsEach + prefilled);
        assertThat(metrics.failedCalls()).isEqualTo(failures.get());
        assertThat(metrics.totalSuccessfulCalls() + metrics.totalFailedCalls())
                .isEqualTo((long) threads * callsEach + prefilled);
    }
}

package dev.resilience.retry;

import dev.resilience.core.ManualClock;
import dev.resilience.core.Together;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Retry#reconfigure}: new settings apply to the next call; a call under way keeps its own. */
class RetryReconfigurationTest {

    private final ManualClock clock = new ManualClock();

    private static RetryConfig attempts(int n) {
        return RetryConfig.builder().maxAttempts(n).waitDuration(Duration.ZERO).build();
    }

    private static int attemptsOfAFailingCall(Retry retry, Runnable duringFirstAttempt) {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> retry.call(() -> {
            if (attempts.incrementAndGet() == 1) {
                duringFirstAttempt.run();
            }
            throw new IOException("down");
        })).isInstanceOf(IOException.class);
        return attempts.get();
    }

    @Test
    void aCallUnderWayKeepsItsAttemptsAndTheNextCallUsesTheNewOnes() {
        Retry retry = Retry.of("r", attempts(3), clock);

        int during = attemptsOfAFailingCall(retry, () -> retry.reconfigure(attempts(5)));
        int after = attemptsOfAFailingCall(retry, () -> { });

        assertThat(during).isEqualTo(3);
        assertThat(after).isEqualTo(5);
        assertThat(retry.config().maxAttempts()).isEqualTo(5);
    }

    @Test
    void anotherBudgetIsRefusedWholeAndNothingChanges() {
        Retry retry = Retry.of("r", attempts(3), clock);
        RetryConfig before = retry.config();

        assertThatThrownBy(() -> retry.reconfigure(RetryConfig.builder().maxAttempts(7)
                .budget(new RetryBudgetConfig(0.2, Duration.ofSeconds(10), 1, null)).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("budget cannot change at run time");

        assertThat(retry.config()).isSameAs(before);
        assertThat(attemptsOfAFailingCall(retry, () -> { })).isEqualTo(3);
    }

    @Test
    void aChangePublishesConfigChanged() {
        Retry retry = Retry.of("r", attempts(3), clock);
        List<RetryEvent> events = new ArrayList<>();
        retry.events().subscribe(events::add);

        retry.reconfigure(attempts(4));

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.eventType()).isEqualTo(RetryEvent.Type.CONFIG_CHANGED);
            assertThat(e.details()).containsEntry("to", attempts(4).toString());
        });
    }

    /** Under load, every call makes exactly the attempts of one config, the old or the new, never a mix. */
    @Test
    void changingMaxAttemptsUnderLoadGivesEveryCallTheAttemptsOfOneConfig() throws Exception {
        Retry retry = Retry.of("r", attempts(2), clock);
        ConcurrentHashMap<Integer, AtomicInteger> callsByAttempts = new ConcurrentHashMap<>();
        int threads = 8;
        int callsEach = 500;
        Together.run(threads + 1, me -> {
            if (me == threads) {
                for (int i = 0; i < 1_000; i++) {
                    retry.reconfigure(attempts(i % 2 == 0 ? 5 : 2));
                }
                return;
            }
            for (int i = 0; i < callsEach; i++) {
                int made = attemptsOfAFailingCall(retry, () -> { });
                callsByAttempts.computeIfAbsent(made, k -> new AtomicInteger()).incrementAndGet();
            }
        });

        assertThat(callsByAttempts.keySet()).isSubsetOf(2, 5);
        assertThat(callsByAttempts.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(threads * callsEach);
        RetryMetrics metrics = retry.metrics();
        assertThat(metrics.failedCallsWithRetry()).isEqualTo((long) threads * callsEach);
    }
}

package dev.resilience.retry;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryBudgetTest {

    private final ManualClock clock = new ManualClock();

    private Retry failingRetry(String name, RetryBudgetConfig budget) {
        return Retry.of(name, RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ZERO).budget(budget).build(), clock);
    }

    private static void callFailing(Retry retry, AtomicInteger attempts) {
        assertThatThrownBy(() -> retry.call(() -> {
            attempts.incrementAndGet();
            throw new IOException("down");
        })).isInstanceOf(IOException.class);
    }

    @Test
    void underFullFailureRetriesInTheFirstWindowReachExactlyRatioTimesFirstAttemptsPlusFloor() {
        Retry retry = failingRetry("svc", new RetryBudgetConfig(0.2, Duration.ofSeconds(10), 1, null));
        AtomicInteger attempts = new AtomicInteger();
        int callsCutShort = 0;
        for (int second = 0; second < 10; second++) {
            for (int call = 0; call < 100; call++) {
                int before = attempts.get();
                callFailing(retry, attempts);
                if (attempts.get() - before < 3) {
                    callsCutShort++;
                }
            }
            clock.advance(Duration.ofSeconds(1));
        }
        // 1,000 first attempts; allowed retries = floor(0.2 * 1000 + 1 * 10) = 210 of the 2,000 wanted.
        assertThat(attempts.get() - 1000).isEqualTo(210);
        // Each refusal ends its call: one refusal per call that did not get all its attempts.
        assertThat(retry.metrics().retriesRefusedByBudget()).isEqualTo(callsCutShort).isGreaterThan(0);
    }

    @Test
    void underSteadyFullFailureNoSlidingWindowHoldsMoreRetriesThanTheBound() {
        Retry retry = failingRetry("svc", new RetryBudgetConfig(0.2, Duration.ofSeconds(10), 1, null));
        AtomicInteger attempts = new AtomicInteger();
        int seconds = 30;
        long[] retriesPerSecond = new long[seconds];
        for (int second = 0; second < seconds; second++) {
            int before = attempts.get();
            for (int call = 0; call < 100; call++) {
                callFailing(retry, attempts);
            }
            retriesPerSecond[second] = attempts.get() - before - 100;
            clock.advance(Duration.ofSeconds(1));
        }
        for (int end = 9; end < seconds; end++) {
            long inWindow = 0;
            for (int s = end - 9; s <= end; s++) {
                inWindow += retriesPerSecond[s];
            }
            assertThat(inWindow).as("retries in the window ending at second %d", end).isEqualTo(210);
        }
    }

    @Test
    void theFloorLetsALowTrafficServiceRetry() {
        Retry retry = failingRetry("svc", new RetryBudgetConfig(0.2, Duration.ofSeconds(10), 1, null));
        AtomicInteger attempts = new AtomicInteger();
        for (int call = 0; call < 3; call++) {
            callFailing(retry, attempts);
        }
        // 0.2 * 3 = 0.6 alone would allow no retry; the floor of 10 per window allows all 6.
        assertThat(attempts).hasValue(9);
        assertThat(retry.metrics().retriesRefusedByBudget()).isZero();
    }

    @Test
    void withoutAFloorALowTrafficServiceDoesNotRetry() {
        Retry retry = failingRetry("svc", new RetryBudgetConfig(0.2, Duration.ofSeconds(10), 0, null));
        AtomicInteger attempts = new AtomicInteger();
        for (int call = 0; call < 3; call++) {
            callFailing(retry, attempts);
        }
        assertThat(attempts).hasValue(3);
        assertThat(retry.metrics().retriesRefusedByBudget()).isEqualTo(3);
    }

    @Test
    void aSpentBudgetEndsTheCallWithItsLastFailureWithoutWaiting() {
        Retry retry = Retry.of("svc", RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofSeconds(5))
                .budget(new RetryBudgetConfig(0, Duration.ofSeconds(10), 0, null)).build(), clock);
        List<RetryEvent.Type> events = new ArrayList<>();
        retry.events().subscribe(e -> events.add(e.eventType()));
        IOException failure = new IOException("last");

        assertThatThrownBy(() -> retry.call(() -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(clock.nanoTime()).isZero();
        assertThat(events).containsExactly(RetryEvent.Type.BUDGET_EXHAUSTED, RetryEvent.Type.ERROR);
        assertThat(retry.metrics().failedCallsWithoutRetry()).isEqualTo(1);
    }

    @Test
    void retriesRefusedLongAgoNoLongerCountOnceTheWindowHasPassed() {
        RetryBudget budget = RetryBudget.of(0, Duration.ofSeconds(2), 1, clock);
        assertThat(budget.tryAcquireRetry()).isTrue();
        assertThat(budget.tryAcquireRetry()).isTrue();
        assertThat(budget.tryAcquireRetry()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(budget.remaining()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(budget.remaining()).isEqualTo(2);
        assertThat(budget.tryAcquireRetry()).isTrue();
    }

    @Test
    void firstAttemptsRaiseTheAllowanceByTheRatio() {
        RetryBudget budget = RetryBudget.of(0.5, Duration.ofSeconds(10), 0, clock);
        assertThat(budget.remaining()).isZero();
        for (int i = 0; i < 7; i++) {
            budget.recordFirstAttempt();
        }
        assertThat(budget.remaining()).isEqualTo(3); // floor(0.5 * 7)
    }

    @Test
    void metricsShowTheBudgetRemainingOrMinusOneWithoutABudget() {
        Retry withBudget = failingRetry("a", new RetryBudgetConfig(0.2, Duration.ofSeconds(10), 1, null));
        Retry without = Retry.of("b", RetryConfig.defaults(), clock);
        assertThat(withBudget.metrics().budgetRemaining()).isEqualTo(10);
        callFailing(withBudget, new AtomicInteger());
        assertThat(withBudget.metrics().budgetRemaining()).isEqualTo(8); // floor(0.2 * 1 + 10) - 2
        assertThat(without.metrics().budgetRemaining()).isEqualTo(-1);
        assertThat(without.metrics().retriesRefusedByBudget()).isZero();
    }

    @Test
    void retriesNamingTheSameGroupShareOneBudget() {
        RetryBudgets budgets = new RetryBudgets(clock);
        RetryBudgetConfig shared = new RetryBudgetConfig(0, Duration.ofSeconds(10), 0.5, "inventory");
        RetryConfig config = RetryConfig.builder().maxAttempts(2).waitDuration(Duration.ZERO).budget(shared).build();
        Retry first = Retry.of("first", config, clock, budgets);
        Retry second = Retry.of("second", config, clock, budgets);
        AtomicInteger attempts = new AtomicInteger();

        for (int i = 0; i < 3; i++) {
            callFailing(first, attempts);
        }
        for (int i = 0; i < 4; i++) {
            callFailing(second, attempts);
        }

        // floor(0.5 * 10) = 5 retries for the group: 3 taken by the first, 2 left for the second.
        assertThat(second.metrics().retriesRefusedByBudget()).isEqualTo(2);
        assertThat(attempts).hasValue(7 + 5);
        assertThat(budgets.find("inventory").remaining()).isZero();
        assertThat(first.metrics().budgetRemaining()).isZero();
    }

    @Test
    void retriesWithoutAGroupEachHaveTheirOwnBudget() {
        RetryBudgets budgets = new RetryBudgets(clock);
        RetryConfig config = RetryConfig.builder().maxAttempts(2).waitDuration(Duration.ZERO)
                .budget(new RetryBudgetConfig(0, Duration.ofSeconds(10), 0.1, null)).build();
        Retry first = Retry.of("first", config, clock, budgets);
        Retry second = Retry.of("second", config, clock, budgets);
        callFailing(first, new AtomicInteger());
        assertThat(first.metrics().budgetRemaining()).isZero();
        assertThat(second.metrics().budgetRemaining()).isEqualTo(1);
    }

    @Test
    void aGroupCannotBeJoinedWithOtherSettings() {
        RetryBudgets budgets = new RetryBudgets(clock);
        budgets.budgetFor(new RetryBudgetConfig(0.2, Duration.ofSeconds(10), 1, "g"));
        assertThatThrownBy(() -> budgets.budgetFor(new RetryBudgetConfig(0.5, Duration.ofSeconds(10), 1, "g")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Retry budget group 'g' is already defined");
    }

    @Test
    void theNumberOfGroupsIsBounded() {
        RetryBudgets budgets = new RetryBudgets(clock, 1);
        budgets.budgetFor(RetryBudgetConfig.defaults().withGroup("a"));
        assertThatThrownBy(() -> budgets.budgetFor(RetryBudgetConfig.defaults().withGroup("b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maximum of 1 groups");
    }

    @Test
    void invalidSettingsNameTheSetting() {
        assertThatThrownBy(() -> new RetryBudgetConfig(-0.1, Duration.ofSeconds(10), 1, null))
                .isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("budgetRatio must be zero or positive");
        assertThatThrownBy(() -> RetryConfig.builder().budgetWindow(Duration.ofMillis(1500)))
                .isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("budgetWindow must be a whole number of seconds");
        assertThatThrownBy(() -> RetryConfig.builder().budgetWindow(Duration.ofHours(2)))
                .isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> RetryConfig.builder().budgetMinRetriesPerSecond(Double.NaN))
                .isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("budgetMinRetriesPerSecond");
        assertThatThrownBy(() -> RetryConfig.builder().budgetGroup(" "))
                .isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("budgetGroup");
    }

    @Test
    void budgetSettingsWithoutBudgetEnabledFailTheBuildInsteadOfBeingIgnored() {
        assertThatThrownBy(() -> RetryConfig.builder().budgetRatio(0.5).build())
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.setting()).isEqualTo("budgetRatio");
                    assertThat(e.value()).isEqualTo(0.5);
                    assertThat(e.allowed()).contains("budgetEnabled").contains("budget.enabled");
                });
        assertThatThrownBy(() -> RetryConfig.builder().budgetGroup("stock").budgetWindow(Duration.ofSeconds(5)).build())
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.setting()).isEqualTo("budgetGroup"));
        assertThatThrownBy(() -> RetryConfig.defaults().toBuilder().budgetMinRetriesPerSecond(1).build())
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.setting()).isEqualTo("budgetMinRetriesPerSecond"));
    }

    @Test
    void budgetSettingsApplyOnceTheBudgetIsSaidOnOrOff() {
        assertThat(RetryConfig.builder().budgetEnabled(false).budgetRatio(0.5).build().budget()).isEmpty();
        assertThat(RetryConfig.builder().budgetRatio(0.5).budgetEnabled(true).build().budget())
                .contains(new RetryBudgetConfig(0.5, Duration.ofSeconds(10), 10, null));
        RetryConfig withBudget = RetryConfig.builder().budget(RetryBudgetConfig.defaults()).build();
        assertThat(withBudget.toBuilder().budgetRatio(0.3).build().budget()).map(RetryBudgetConfig::ratio).contains(0.3);
    }

    @Test
    void theBudgetIsOffUnlessEnabledAndItsSettingsSurviveToBuilder() {
        RetryConfig off = RetryConfig.builder().budgetEnabled(false).budgetRatio(0.5).build();
        assertThat(off.budget()).isEmpty();
        RetryConfig on = RetryConfig.builder().budgetEnabled(true).budgetRatio(0.5).budgetGroup("g").build();
        assertThat(on.budget()).contains(new RetryBudgetConfig(0.5, Duration.ofSeconds(10), 10, "g"));
        assertThat(on.toBuilder().build().budget()).isEqualTo(on.budget());
        assertThat(RetryConfig.defaults().budget()).isEmpty();
    }
}

package dev.resilience.retry;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Retry#reset()} and {@link RetryBudget#reset()}: counters and budgets start again from nothing. */
class RetryResetTest {

    private final ManualClock clock = new ManualClock();

    private static final RetryBudgetConfig NO_FLOOR = new RetryBudgetConfig(0.5, Duration.ofSeconds(10), 0, null);

    private Retry retry(RetryBudgetConfig budget, RetryBudgets budgets) {
        RetryConfig.Builder config = RetryConfig.builder().maxAttempts(2).waitDuration(Duration.ZERO);
        if (budget != null) {
            config.budget(budget);
        }
        return Retry.of("svc", config.build(), clock, budgets);
    }

    private static void failOnce(Retry retry) {
        assertThatThrownBy(() -> retry.call(() -> {
            throw new IOException("down");
        })).isInstanceOf(IOException.class);
    }

    @Test
    void resetClearsEveryCounter() throws Throwable {
        Retry retry = retry(null, new RetryBudgets(clock));
        AtomicInteger attempts = new AtomicInteger();
        retry.call(() -> attempts.incrementAndGet() == 1 ? fail() : "ok");
        retry.call(() -> "ok");
        failOnce(retry);

        retry.reset();

        assertThat(retry.metrics()).isEqualTo(new RetryMetrics(0, 0, 0, 0, 0, 0, -1));
    }

    @Test
    void resetGivesASpentBudgetBackItsStartingState() {
        Retry retry = retry(NO_FLOOR, new RetryBudgets(clock));
        failOnce(retry);
        failOnce(retry);
        assertThat(retry.metrics().retriesRefusedByBudget()).isPositive();

        retry.reset();

        assertThat(retry.metrics().budgetRemaining()).isZero();
        assertThat(retry.metrics().retriesRefusedByBudget()).isZero();
        failOnce(retry); // one first attempt allows half a retry: still none
        assertThat(retry.metrics().retriesRefusedByBudget()).isEqualTo(1);
    }

    @Test
    void aBudgetResetForgetsFirstAttemptsAndRetries() {
        RetryBudget budget = RetryBudget.of(NO_FLOOR, clock);
        for (int i = 0; i < 4; i++) {
            budget.recordFirstAttempt();
        }
        assertThat(budget.tryAcquireRetry()).isTrue();
        assertThat(budget.remaining()).isEqualTo(1);

        budget.reset();

        assertThat(budget.remaining()).isZero();
        budget.recordFirstAttempt();
        budget.recordFirstAttempt();
        assertThat(budget.remaining()).isEqualTo(1);
    }

    @Test
    void resettingOneRetryOfAGroupClearsTheSharedBudget() {
        RetryBudgets budgets = new RetryBudgets(clock);
        RetryBudgetConfig shared = NO_FLOOR.withGroup("stock");
        Retry first = Retry.of("first", RetryConfig.builder().maxAttempts(2).waitDuration(Duration.ZERO).budget(shared)
                .build(), clock, budgets);
        for (int i = 0; i < 4; i++) {
            budgets.find("stock").recordFirstAttempt();
        }

        first.reset();

        assertThat(budgets.find("stock").remaining()).isZero();
    }

    private static String fail() throws IOException {
        throw new IOException("transient");
    }
}

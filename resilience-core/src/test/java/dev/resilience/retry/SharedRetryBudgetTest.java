package dev.resilience.retry;

import dev.resilience.core.ManualClock;
import dev.resilience.retry.internal.SharedRetryBudget;
import dev.resilience.spi.RetryBudgetStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A retry budget group shared by several instances through a store: first attempts never wait for it, the fleet's
 * retries stay within the budget, and a failing store leaves each instance its own budget until it answers again.
 */
class SharedRetryBudgetTest {

    private static final Duration SYNC = Duration.ofMillis(100);

    private final ManualClock clock = new ManualClock();
    private final InMemoryStore store = new InMemoryStore(clock);
    private final RetryBudgetConfig config = new RetryBudgetConfig(0.1, Duration.ofSeconds(10), 0, "partner", true);

    /** The store contract, in memory, on the test's clock (one clock for the whole fleet, as Redis's TIME is). */
    static final class InMemoryStore implements RetryBudgetStore {
        final ManualClock clock;
        final TreeMap<Long, long[]> buckets = new TreeMap<>(); // second -> {first attempts, retries}
        final Map<String, long[]> leases = new HashMap<>(); // instance -> {amount, expires at second}
        volatile boolean failing;
        volatile boolean silent;
        int syncs;

        InMemoryStore(ManualClock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized CompletionStage<Lease> sync(String group, String instanceId, double ratio, int windowSeconds,
                                                        double minRetriesPerSecond, long firstAttempts, long retries,
                                                        int leaseSeconds) {
            syncs++;
            if (silent) {
                return new CompletableFuture<>();
            }
            if (failing) {
                return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
            }
            long now = clock.nanoTime() / 1_000_000_000L;
            long[] bucket = buckets.computeIfAbsent(now, s -> new long[2]);
            bucket[0] += firstAttempts;
            bucket[1] += retries;
            buckets.headMap(now - windowSeconds + 1).clear();
            long first = buckets.values().stream().mapToLong(b -> b[0]).sum();
            long used = buckets.values().stream().mapToLong(b -> b[1]).sum();
            long allowed = (long) Math.floor(ratio * first + minRetriesPerSecond * windowSeconds);
            leases.values().removeIf(l -> l[1] < now);
            leases.remove(instanceId);
            long others = leases.values().stream().mapToLong(l -> l[0]).sum();
            long slack = allowed - used - others;
            long lease = slack > 0 ? (slack + leases.size()) / (leases.size() + 1) : 0;
            leases.put(instanceId, new long[] {lease, now + leaseSeconds});
            return CompletableFuture.completedFuture(new Lease(lease, first, used, allowed));
        }

        synchronized long retriesCounted() {
            return buckets.values().stream().mapToLong(b -> b[1]).sum();
        }
    }

    private SharedRetryBudget instance() {
        return new SharedRetryBudget(config, clock, store, SYNC);
    }

    @Test
    void firstAttemptNeverWaitsForTheStore() {
        store.silent = true;
        SharedRetryBudget budget = instance();

        for (int i = 0; i < 1_000; i++) {
            budget.recordFirstAttempt(); // would hang here if it waited for the store
        }

        assertThat(store.syncs).isEqualTo(1); // one sync in flight, in the background
    }

    @Test
    void twoInstancesUnderTotalFailureNeverRetryMoreThanTheFleetsBudget() {
        SharedRetryBudget a = instance();
        SharedRetryBudget b = instance();
        long firstAttempts = 0;
        long retries = 0;
        // 100 % failure for 5 s (inside the 10 s window): every first attempt fails and wants 2 retries.
        for (int tick = 0; tick < 500; tick++) {
            for (SharedRetryBudget instance : new SharedRetryBudget[] {a, b}) {
                for (int call = 0; call < 3; call++) {
                    instance.recordFirstAttempt();
                    firstAttempts++;
                    for (int retry = 0; retry < 2; retry++) {
                        retries += instance.tryAcquireRetry() ? 1 : 0;
                    }
                }
            }
            clock.advance(Duration.ofMillis(10));
        }
        clock.advance(SYNC.multipliedBy(2)); // the last counts reach the store

        long allowed = (long) Math.floor(0.1 * firstAttempts);
        assertThat(retries).isLessThanOrEqualTo(allowed);
        // Leases are refreshed every 100 ms, so the fleet uses nearly all of its budget (not just one instance's).
        assertThat(retries).isGreaterThan(allowed * 9 / 10);
        assertThat(store.retriesCounted()).isEqualTo(retries);
    }

    @Test
    void separateBudgetsWouldHaveAllowedTwiceAsMany() {
        // The same load on two unshared budgets: what the fleet budget prevents.
        RetryBudget a = RetryBudget.of(config.withShared(false), clock);
        RetryBudget b = RetryBudget.of(config.withShared(false), clock);
        long retries = 0;
        for (int i = 0; i < 1_000; i++) {
            a.recordFirstAttempt();
            b.recordFirstAttempt();
            retries += (a.tryAcquireRetry() ? 1 : 0) + (b.tryAcquireRetry() ? 1 : 0);
        }
        assertThat(retries).isEqualTo(200);
    }

    @Test
    void retriesAreRefusedUntilTheFirstLeaseArrives() {
        store.silent = true;
        SharedRetryBudget budget = instance();
        budget.recordFirstAttempt();

        assertThat(budget.tryAcquireRetry()).isFalse();
    }

    @Test
    void failingStoreLeavesTheInstanceItsOwnBudgetUntilItAnswersAgain() {
        SharedRetryBudget budget = instance();
        for (int i = 0; i < 100; i++) {
            budget.recordFirstAttempt();
        }
        clock.advance(SYNC);
        store.failing = true;
        clock.advance(Duration.ofSeconds(1)); // the lease expires; syncs fail

        int granted = 0;
        for (int i = 0; i < 50; i++) {
            granted += budget.tryAcquireRetry() ? 1 : 0;
        }
        assertThat(granted).isEqualTo(10); // the local budget: 0.1 x 100 first attempts
        assertThat(budget.storeErrors()).isPositive();

        store.failing = false;
        clock.advance(Duration.ofSeconds(1));
        assertThat(budget.lastLease()).isNotNull();
        assertThat(store.retriesCounted()).isEqualTo(10); // the retries granted meanwhile were reported
        assertThat(budget.tryAcquireRetry()).isFalse(); // and the fleet's budget (10) is spent
    }

    @Test
    void sharedBudgetNeedsAGroupAndAStore() {
        RetryBudgets withoutStore = new RetryBudgets(clock);
        assertThatThrownBy(() -> withoutStore.budgetFor(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no RetryBudgetStore");
        RetryBudgets withStore = new RetryBudgets(clock, 10, store, SYNC);
        assertThatThrownBy(() -> withStore.budgetFor(config.withGroup(null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a group");
        assertThat(withStore.budgetFor(config)).isInstanceOf(SharedRetryBudget.class)
                .isSameAs(withStore.budgetFor(config));
    }
}

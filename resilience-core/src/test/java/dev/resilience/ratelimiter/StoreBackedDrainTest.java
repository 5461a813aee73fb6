package dev.resilience.ratelimiter;

import dev.resilience.core.ManualClock;
import dev.resilience.spi.Admission;
import dev.resilience.spi.RateLimiterStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link RateLimiter#drainPermissions()} on a limiter backed by a shared store: the store empties the shared period
 * (for every instance), the local fallback is emptied too, and a store that fails or stays silent costs at most the
 * command timeout.
 */
class StoreBackedDrainTest {

    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(100);

    private final ManualClock clock = new ManualClock();

    /** One shared period per key: counts permits, and drains by taking every free one. */
    static class PeriodStore implements RateLimiterStore {
        final ConcurrentHashMap<String, AtomicInteger> taken = new ConcurrentHashMap<>();
        final List<String> drains = new CopyOnWriteArrayList<>();
        volatile CompletionStage<Void> drainAnswer;

        @Override
        public CompletionStage<Admission> acquire(String key, int limitForPeriod, long periodNanos, long maxWaitNanos) {
            int n = taken.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            return CompletableFuture.completedFuture(n <= limitForPeriod ? Admission.granted(limitForPeriod - n)
                    : Admission.refused(-1));
        }

        @Override
        public CompletionStage<Void> drain(String key, int limitForPeriod, long periodNanos) {
            drains.add(key + "/" + limitForPeriod + "/" + periodNanos);
            if (drainAnswer != null) {
                return drainAnswer;
            }
            taken.computeIfAbsent(key, k -> new AtomicInteger()).accumulateAndGet(limitForPeriod, Math::max);
            return CompletableFuture.completedFuture(null);
        }
    }

    private final PeriodStore store = new PeriodStore();

    private RateLimiter limiter(RateLimiterStore store, StoreFailureMode mode) {
        return RateLimiter.of("partner", RateLimiterConfig.builder().limitForPeriod(3)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO)
                .onStoreFailure(mode).build(), clock, store, COMMAND_TIMEOUT);
    }

    @Test
    void drainEmptiesTheSharedPeriodSoThatNoInstanceIsAdmittedUntilItTurns() {
        RateLimiter one = limiter(store, StoreFailureMode.DENY);
        RateLimiter other = limiter(store, StoreFailureMode.DENY);
        assertThat(one.acquirePermission()).isTrue();

        one.drainPermissions();

        assertThat(store.drains).containsExactly("partner/3/1000000000");
        assertThat(other.acquirePermission()).isFalse();
        assertThat(one.acquirePermission()).isFalse();
        assertThat(one.storeStatus().orElseThrow().errors()).isZero();
        assertThat(one.metrics().permittedCalls()).isEqualTo(1); // drained permits are not counted as permitted
    }

    @Test
    void drainEmptiesTheLocalFallbackTooForWhenTheStoreFails() {
        // Drains fine, then fails every request for a permit.
        RateLimiterStore failingAfterDrain = new PeriodStore() {
            @Override
            public CompletionStage<Admission> acquire(String key, int limitForPeriod, long periodNanos, long maxWaitNanos) {
                return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
            }
        };
        RateLimiter limiter = limiter(failingAfterDrain, StoreFailureMode.LOCAL);

        limiter.drainPermissions();

        // LOCAL: the local fallback enforces the limit while the store fails, and its current period was drained.
        assertThat(limiter.acquirePermission()).isFalse();
        assertThat(limiter.storeStatus().orElseThrow().available()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.acquirePermission()).isTrue(); // the local period turned
    }

    @Test
    void drainTheStoreFailedIsCountedAsAStoreFailureAndAppliesTheFailureMode() {
        RateLimiter limiter = limiter(store, StoreFailureMode.DENY);
        store.drainAnswer = CompletableFuture.failedFuture(new IllegalStateException("connection refused"));

        limiter.drainPermissions();

        StoreStatus status = limiter.storeStatus().orElseThrow();
        assertThat(status.available()).isFalse();
        assertThat(status.errors()).isEqualTo(1);
        assertThat(status.lastError()).contains("connection refused");
        assertThat(limiter.acquirePermission()).isFalse(); // DENY until the store answers again
    }

    @Test
    void drainTheStoreDoesNotAnswerEndsAfterTheCommandTimeout() throws Exception {
        RateLimiter limiter = limiter(store, StoreFailureMode.DENY);
        store.drainAnswer = new CompletableFuture<>(); // never answers
        Thread drainer = new Thread(limiter::drainPermissions, "drainer");
        drainer.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> clock.pendingTasks() > 0);
        assertThat(drainer.isAlive()).isTrue();
        clock.advance(COMMAND_TIMEOUT);
        drainer.join(10_000);

        assertThat(drainer.isAlive()).isFalse();
        assertThat(limiter.storeStatus().orElseThrow().lastError()).contains("command timeout");
    }

    @Test
    void drainIsRefusedByAStoreThatCannotDrain() {
        RateLimiterStore acquireOnly = (key, limit, period, maxWait) -> CompletableFuture.completedFuture(Admission.GRANTED);
        RateLimiter limiter = limiter(acquireOnly, StoreFailureMode.DENY);

        assertThatThrownBy(limiter::drainPermissions).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("drain");
        assertThat(limiter.storeStatus().orElseThrow().errors()).isZero();
        assertThat(limiter.acquirePermission()).isTrue();
    }
}

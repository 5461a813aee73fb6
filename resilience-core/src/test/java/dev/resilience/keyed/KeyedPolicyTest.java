package dev.resilience.keyed;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.core.ManualClock;
import dev.resilience.core.ResilienceEvent;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyedPolicyTest {

    private final ManualClock clock = new ManualClock();

    private KeyedPolicy<RateLimiter> limiter(int limit, int maxKeys) {
        return KeyedPolicy.rateLimiter("api", RateLimiterConfig.builder().limitForPeriod(limit)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO)
                .maxKeys(maxKeys).keyIdleExpiry(Duration.ofMinutes(10)).build(), clock);
    }

    private KeyedPolicy<Bulkhead> bulkhead(int maxKeys) {
        return KeyedPolicy.bulkhead("pool", BulkheadConfig.builder().maxConcurrentCalls(1).maxKeys(maxKeys)
                .keyIdleExpiry(Duration.ofMinutes(10)).build(), clock);
    }

    private static boolean admitted(KeyedPolicy<RateLimiter> limiter, Object key) {
        try {
            limiter.call(key, () -> "ok");
            return true;
        } catch (RequestNotPermittedException rejected) {
            return false;
        }
    }

    @Test
    void eachKeyHasItsOwnLimit() {
        KeyedPolicy<RateLimiter> limiter = limiter(2, 100);

        assertThat(admitted(limiter, "a")).isTrue();
        assertThat(admitted(limiter, "a")).isTrue();
        assertThat(admitted(limiter, "a")).isFalse();
        assertThat(admitted(limiter, "b")).isTrue();
        assertThat(admitted(limiter, "b")).isTrue();
        assertThat(admitted(limiter, "b")).isFalse();
        assertThat(limiter.size()).isEqualTo(2);
    }

    @Test
    void rejectionNamesTheInstanceNotTheKey() {
        KeyedPolicy<RateLimiter> limiter = limiter(1, 100);
        limiter.call("tenant-secret", () -> "ok");

        assertThatThrownBy(() -> limiter.call("tenant-secret", () -> "ok"))
                .isInstanceOf(RequestNotPermittedException.class)
                .satisfies(e -> assertThat(((RequestNotPermittedException) e).instanceName()).isEqualTo("api"))
                .message().doesNotContain("tenant-secret");
    }

    @Test
    void nullKeyFailsTheCallAndCreatesNothing() {
        KeyedPolicy<RateLimiter> limiter = limiter(1, 100);

        assertThatThrownBy(() -> limiter.call(null, () -> "ok"))
                .isInstanceOf(NullKeyException.class).hasMessageContaining("'api'");
        assertThat(limiter.callAsync(null, () -> CompletableFuture.completedFuture("ok")).toCompletableFuture())
                .isCompletedExceptionally();
        assertThat(limiter.size()).isZero();
    }

    @Test
    void idleKeyExpiresOnTheClock() {
        KeyedPolicy<RateLimiter> limiter = limiter(1, 100);
        limiter.call("a", () -> "ok");

        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(limiter.size()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(3));
        assertThat(limiter.size()).isZero();
        assertThat(limiter.metrics().evictedKeys()).isEqualTo(1);
        assertThat(clock.pendingTasks()).as("an empty instance holds no timer").isZero();
    }

    @Test
    void keyInUseDoesNotExpire() {
        KeyedPolicy<Bulkhead> bulkhead = bulkhead(100);
        CompletableFuture<String> running = new CompletableFuture<>();
        bulkhead.callAsync("a", () -> running);

        clock.advance(Duration.ofMinutes(30));
        assertThat(bulkhead.size()).isEqualTo(1);
        running.complete("done");
        clock.advance(Duration.ofMinutes(15));
        assertThat(bulkhead.size()).isZero();
    }

    @Test
    void leastRecentlyUsedKeyIsEvictedAtTheBound() {
        KeyedPolicy<Bulkhead> bulkhead = bulkhead(2);
        bulkhead.call("a", () -> "ok");
        clock.advance(Duration.ofSeconds(1));
        bulkhead.call("b", () -> "ok");
        clock.advance(Duration.ofSeconds(1));
        bulkhead.call("a", () -> "ok");
        clock.advance(Duration.ofSeconds(1));

        bulkhead.call("c", () -> "ok");

        assertThat(bulkhead.keys()).containsExactlyInAnyOrder("a", "c");
        assertThat(bulkhead.metrics().evictedKeys()).isEqualTo(1);
    }

    @Test
    void busyBulkheadIsNeverEvictedAndNewKeyIsRejectedWhenAllAreBusy() {
        KeyedPolicy<Bulkhead> bulkhead = bulkhead(2);
        CompletableFuture<String> a = new CompletableFuture<>();
        CompletableFuture<String> b = new CompletableFuture<>();
        bulkhead.callAsync("a", () -> a);
        bulkhead.callAsync("b", () -> b);

        assertThatThrownBy(() -> bulkhead.call("c", () -> "ok"))
                .isInstanceOf(BulkheadFullException.class)
                .hasMessageContaining("'pool'").hasMessageContaining("maximum of 2 keys, all in use");
        assertThat(bulkhead.keys()).containsExactlyInAnyOrder("a", "b");

        a.complete("done");
        assertThat(bulkhead.call("c", () -> "ok")).isEqualTo("ok");
        assertThat(bulkhead.keys()).containsExactlyInAnyOrder("b", "c");
        // b's permit is still taken: its limit of 1 holds.
        assertThatThrownBy(() -> bulkhead.call("b", () -> "ok")).isInstanceOf(BulkheadFullException.class);
        assertThat(bulkhead.metrics().rejectedCalls()).isEqualTo(2);
    }

    @Test
    void bulkheadWhosePermitOutlivesACancelledStageIsNotEvicted() {
        KeyedPolicy<Bulkhead> bulkhead = bulkhead(1);
        // A stage that ignores cancellation: the call keeps running, and keeps its permit, after the caller gave up.
        CompletableFuture<String> running = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                return false;
            }
        };
        CompletionStage<String> outcome = bulkhead.callAsync("a", () -> running);
        outcome.toCompletableFuture().cancel(true);

        assertThatThrownBy(() -> bulkhead.call("b", () -> "ok")).isInstanceOf(BulkheadFullException.class)
                .hasMessageContaining("all in use");
        assertThatThrownBy(() -> bulkhead.call("a", () -> "ok")).as("a's permit is still taken")
                .isInstanceOf(BulkheadFullException.class);

        running.complete("done");
        assertThat(bulkhead.call("b", () -> "ok")).isEqualTo("ok");
    }

    @Test
    void leastRecentlyUsedKeyThatMayGoIsEvictedWhenAnOlderOneStillHoldsAPermit() {
        KeyedPolicy<Bulkhead> bulkhead = bulkhead(2);
        CompletableFuture<String> running = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                return false;
            }
        };
        bulkhead.callAsync("a", () -> running).toCompletableFuture().cancel(true);
        clock.advance(Duration.ofSeconds(1));
        bulkhead.call("b", () -> "ok");
        clock.advance(Duration.ofSeconds(1));

        assertThat(bulkhead.call("c", () -> "ok")).isEqualTo("ok");
        assertThat(bulkhead.keys()).containsExactlyInAnyOrder("a", "c");
    }

    @Test
    void rateLimiterKeyIsKeptUntilItsPeriodIsOver() {
        KeyedPolicy<RateLimiter> limiter = limiter(1, 1);
        assertThat(admitted(limiter, "a")).isTrue();

        clock.advance(Duration.ofMillis(500));
        assertThatThrownBy(() -> limiter.call("b", () -> "ok"))
                .isInstanceOf(RequestNotPermittedException.class).hasMessageContaining("maximum of 1 keys");
        assertThat(admitted(limiter, "a")).as("a keeps its spent period").isFalse();

        clock.advance(Duration.ofMillis(500));
        assertThatThrownBy(() -> limiter.call("b", () -> "ok")).as("a was used (refused) half a period ago")
                .isInstanceOf(RequestNotPermittedException.class);
        clock.advance(Duration.ofMillis(500));
        assertThat(admitted(limiter, "b")).isTrue();
        assertThat(limiter.keys()).containsExactly("b");
    }

    @Test
    void countersIncludeEvictedKeysAndNeverGoDown() {
        KeyedPolicy<RateLimiter> limiter = limiter(1, 1);
        admitted(limiter, "a");
        admitted(limiter, "a");
        assertThat(limiter.metrics().permittedCalls()).isEqualTo(1);
        assertThat(limiter.metrics().rejectedCalls()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        admitted(limiter, "b");

        KeyedMetrics metrics = limiter.metrics();
        assertThat(metrics.keys()).isEqualTo(1);
        assertThat(metrics.permittedCalls()).isEqualTo(2);
        assertThat(metrics.rejectedCalls()).isEqualTo(1);
        assertThat(metrics.evictedKeys()).isEqualTo(1);
    }

    @Test
    void eventsOfEveryKeyReachTheInstancesListeners() {
        KeyedPolicy<RateLimiter> limiter = limiter(1, 100);
        admitted(limiter, "a");
        List<ResilienceEvent> events = new ArrayList<>();
        limiter.events().subscribe(events::add);

        admitted(limiter, "a");
        admitted(limiter, "b");

        assertThat(events).extracting(ResilienceEvent::type).containsExactly("FAILED_ACQUIRE", "SUCCESSFUL_ACQUIRE");
        assertThat(events).extracting(ResilienceEvent::name).containsOnly("api");
    }

    @Test
    void asyncCallHoldsItsKeyUntilTheStageCompletes() {
        KeyedPolicy<Bulkhead> bulkhead = bulkhead(1);
        CompletableFuture<String> running = new CompletableFuture<>();
        CompletionStage<String> outcome = bulkhead.callAsync("a", () -> running);

        assertThat(bulkhead.callAsync("b", () -> CompletableFuture.completedFuture("x")).toCompletableFuture())
                .isCompletedExceptionally();
        running.complete("done");
        assertThat(outcome.toCompletableFuture()).isCompletedWithValue("done");
        assertThat(bulkhead.callAsync("b", () -> CompletableFuture.completedFuture("x")).toCompletableFuture())
                .isCompletedWithValue("x");
    }

    @Test
    void findByStringFindsNonStringKeys() {
        KeyedPolicy<RateLimiter> limiter = limiter(5, 100);
        admitted(limiter, 42L);

        assertThat(limiter.findByString("42")).isPresent();
        assertThat(limiter.find("42")).isEmpty();
        assertThat(limiter.findByString("43")).isEmpty();
    }

    @Test
    void boundsAreValidatedNamingTheSetting() {
        assertThatThrownBy(() -> RateLimiterConfig.builder().maxKeys(0))
                .hasMessage("maxKeys must be at least 1, but was 0");
        assertThatThrownBy(() -> BulkheadConfig.builder().keyIdleExpiry(Duration.ZERO))
                .hasMessageStartingWith("keyIdleExpiry must be a positive duration");
        assertThatThrownBy(() -> RateLimiterConfig.builder().keyIdleExpiry(null))
                .hasMessageStartingWith("keyIdleExpiry must be a positive duration");
        assertThat(RateLimiterConfig.defaults().maxKeys()).isEqualTo(10_000);
        assertThat(BulkheadConfig.defaults().keyIdleExpiry()).isEqualTo(Duration.ofMinutes(10));
        assertThat(BulkheadConfig.builder().maxKeys(7).build().toBuilder().build().maxKeys()).isEqualTo(7);
    }
}

package dev.resilience.keyed;

import dev.resilience.core.ManualClock;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.ratelimiter.StoreFailureMode;
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
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A keyed rate limiter over a shared store: each key is counted in the store under a store key of its own. */
class KeyedPolicyStoreTest {

    private final ManualClock clock = new ManualClock();

    /** Counts permits per store key, one fixed period, as a shared store would; or fails every request. */
    static final class CountingStore implements RateLimiterStore {
        final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        final List<String> keysAsked = new CopyOnWriteArrayList<>();
        volatile boolean down;

        @Override
        public CompletionStage<Admission> acquire(String key, int limitForPeriod, long periodNanos, long maxWaitNanos) {
            keysAsked.add(key);
            if (down) {
                return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
            }
            int taken = counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            return CompletableFuture.completedFuture(taken <= limitForPeriod
                    ? Admission.granted(limitForPeriod - taken) : Admission.refused(-1));
        }
    }

    private final CountingStore store = new CountingStore();

    private KeyedPolicy<RateLimiter> keyed(StoreFailureMode mode, int maxKeys) {
        return KeyedPolicy.rateLimiter("api", RateLimiterConfig.builder().limitForPeriod(2)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).onStoreFailure(mode)
                .maxKeys(maxKeys).build(), clock, store);
    }

    private static boolean admitted(KeyedPolicy<RateLimiter> keyed, Object key) {
        try {
            keyed.call(key, () -> "ran");
            return true;
        } catch (RequestNotPermittedException e) {
            return false;
        }
    }

    @Test
    void eachKeyIsCountedInTheStoreUnderTheNameAndTheKey() {
        KeyedPolicy<RateLimiter> keyed = keyed(StoreFailureMode.DENY, 10);

        keyed.call("acme", () -> "ran");
        keyed.call(42L, () -> "ran");

        assertThat(store.keysAsked).containsExactly("api:acme", "api:42");
        assertThat(keyed.find("acme").orElseThrow().storeStatus().orElseThrow().storeKey()).isEqualTo("api:acme");
    }

    @Test
    void keysHaveIndependentLimitsInTheStore() {
        KeyedPolicy<RateLimiter> keyed = keyed(StoreFailureMode.DENY, 10);

        assertThat(List.of(admitted(keyed, "A"), admitted(keyed, "A"), admitted(keyed, "A")))
                .containsExactly(true, true, false);
        assertThat(List.of(admitted(keyed, "B"), admitted(keyed, "B"), admitted(keyed, "B")))
                .containsExactly(true, true, false);
        assertThat(keyed.metrics().permittedCalls()).isEqualTo(4);
        assertThat(keyed.metrics().rejectedCalls()).isEqualTo(2);
    }

    @Test
    void keyDroppedHereAndUsedAgainFindsTheCountTheStoreKept() {
        KeyedPolicy<RateLimiter> keyed = keyed(StoreFailureMode.DENY, 1);
        assertThat(admitted(keyed, "A")).isTrue();
        assertThat(admitted(keyed, "A")).isTrue();

        clock.advance(Duration.ofSeconds(5));
        assertThat(admitted(keyed, "B")).isTrue(); // the bound of one key drops A here
        clock.advance(Duration.ofSeconds(5));

        assertThat(admitted(keyed, "A")).isFalse(); // a fresh limiter, but the store still counts A's two
        assertThat(keyed.metrics().evictedKeys()).isEqualTo(2);
    }

    @Test
    void storeFailureAppliesTheFailureModePerKey() {
        KeyedPolicy<RateLimiter> keyed = keyed(StoreFailureMode.LOCAL, 10);
        store.down = true;

        // LOCAL: each key's own local limiter enforces its limit of 2 meanwhile.
        assertThat(List.of(admitted(keyed, "A"), admitted(keyed, "A"), admitted(keyed, "A")))
                .containsExactly(true, true, false);
        assertThat(List.of(admitted(keyed, "B"), admitted(keyed, "B"), admitted(keyed, "B")))
                .containsExactly(true, true, false);
        assertThat(keyed.find("A").orElseThrow().storeStatus().orElseThrow().available()).isFalse();
        assertThat(keyed.find("B").orElseThrow().storeStatus().orElseThrow().available()).isFalse();
    }

    @Test
    void deniesEveryKeyWhileTheStoreFailsInDenyMode() {
        KeyedPolicy<RateLimiter> keyed = keyed(StoreFailureMode.DENY, 10);
        store.down = true;

        assertThatThrownBy(() -> keyed.call("A", () -> "ran")).isInstanceOf(RequestNotPermittedException.class)
                .hasMessageContaining("unavailable");
    }

    @Test
    void storeFailuresOfManyKeysAreLoggedOncePerIntervalForTheInstanceNotOncePerKey() {
        Logger logger = Logger.getLogger("dev.resilience.ratelimiter.internal.StoreBackedRateLimiter");
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            KeyedPolicy<RateLimiter> keyed = keyed(StoreFailureMode.ALLOW, 1_000);
            store.down = true;

            for (int tenant = 0; tenant < 100; tenant++) {
                keyed.call("tenant-" + tenant, () -> "ran");
            }

            assertThat(records).filteredOn(r -> r.getLevel() == Level.WARNING).hasSize(1);
            assertThat(keyed.find("tenant-99").orElseThrow().storeStatus().orElseThrow().errors()).isEqualTo(1);

            store.down = false;
            clock.advance(Duration.ofSeconds(1)); // the keys' next probe is due
            for (int tenant = 0; tenant < 100; tenant++) {
                keyed.call("tenant-" + tenant, () -> "ran");
            }
            assertThat(records).filteredOn(r -> r.getLevel() == Level.INFO).hasSize(1); // one recovery line
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void storeErrorsSumOverTheKeysAndStayCountedAfterAKeyIsDropped() {
        KeyedPolicy<RateLimiter> keyed = keyed(StoreFailureMode.ALLOW, 1);
        store.down = true;
        assertThat(admitted(keyed, "A")).isTrue(); // one failure for A, which then leaves the store alone for a while
        assertThat(keyed.storeErrors()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(5));
        assertThat(admitted(keyed, "B")).isTrue(); // the bound of one key drops A; one failure for B

        assertThat(keyed.metrics().evictedKeys()).isEqualTo(1);
        assertThat(keyed.storeErrors()).isEqualTo(2);
    }

    @Test
    void storeUnavailableKeysCountsTheKeysOnTheirFailureModeUntilTheStoreAnswersEachAgain() {
        KeyedPolicy<RateLimiter> keyed = keyed(StoreFailureMode.LOCAL, 10);
        assertThat(admitted(keyed, "A")).isTrue();
        assertThat(keyed.storeUnavailableKeys()).isZero();

        store.down = true;
        admitted(keyed, "A");
        assertThat(keyed.storeUnavailableKeys()).isEqualTo(1);
        admitted(keyed, "B");
        assertThat(keyed.storeUnavailableKeys()).isEqualTo(2);

        store.down = false;
        clock.advance(Duration.ofSeconds(1)); // the keys' next probe is due
        admitted(keyed, "A");
        assertThat(keyed.storeUnavailableKeys()).isEqualTo(1);
        admitted(keyed, "B");
        assertThat(keyed.storeUnavailableKeys()).isZero();
        assertThat(keyed.storeErrors()).isEqualTo(2);
    }

    @Test
    void keysWithoutAStoreHaveNoStoreErrorsAndNeverAnUnavailableStore() {
        KeyedPolicy<RateLimiter> keyed = KeyedPolicy.rateLimiter("local", RateLimiterConfig.builder().limitForPeriod(1)
                .timeoutDuration(Duration.ZERO).build(), clock);
        admitted(keyed, "A");
        admitted(keyed, "A");

        assertThat(keyed.storeErrors()).isZero();
        assertThat(keyed.storeUnavailableKeys()).isZero();
    }
}

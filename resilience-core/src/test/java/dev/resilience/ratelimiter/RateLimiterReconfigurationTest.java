package dev.resilience.ratelimiter;

import dev.resilience.core.ManualClock;
import dev.resilience.core.Together;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RateLimiter#reconfigure}: a whole new config in one step, keeping the current period. */
class RateLimiterReconfigurationTest {

    private static final Duration PERIOD = Duration.ofSeconds(1);

    private final ManualClock clock = new ManualClock();

    private static RateLimiterConfig limit(int permits) {
        return RateLimiterConfig.builder().limitForPeriod(permits).limitRefreshPeriod(PERIOD)
                .timeoutDuration(Duration.ZERO).build();
    }

    private static int drain(RateLimiter limiter) {
        int admitted = 0;
        while (limiter.acquirePermission()) {
            admitted++;
        }
        return admitted;
    }

    @Test
    void aNewConfigKeepsTheCurrentPeriodAndItsPermitsAndAppliesTheNewLimitFromTheNextPeriod() {
        RateLimiter limiter = RateLimiter.of("r", limit(10), clock);
        for (int i = 0; i < 4; i++) {
            assertThat(limiter.acquirePermission()).isTrue();
        }

        limiter.reconfigure(limit(50));

        assertThat(drain(limiter)).isEqualTo(6); // the current period goes on, not a fresh one
        clock.advance(PERIOD);
        assertThat(drain(limiter)).isEqualTo(50);
        assertThat(limiter.config()).isEqualTo(limiter.config()).extracting(RateLimiterConfig::limitForPeriod).isEqualTo(50);
    }

    @Test
    void aNewTimeoutAppliesToTheNextCaller() {
        RateLimiter limiter = RateLimiter.of("r", limit(1), clock, Runnable::run);
        assertThat(limiter.acquirePermission()).isTrue();
        assertThat(limiter.acquirePermission()).isFalse(); // timeout 0: refused at once

        limiter.reconfigure(RateLimiterConfig.builder().limitForPeriod(1).limitRefreshPeriod(PERIOD)
                .timeoutDuration(Duration.ofSeconds(5)).build());

        var waiting = limiter.callAsync(() -> java.util.concurrent.CompletableFuture.completedFuture("ran"))
                .toCompletableFuture();
        assertThat(waiting).isNotDone(); // reserved a permit of the next period
        clock.advance(PERIOD);
        assertThat(waiting).isCompletedWithValue("ran");
    }

    @Test
    void aNewRefreshPeriodIsRefusedWholeAndNothingChanges() {
        RateLimiter limiter = RateLimiter.of("r", limit(10), clock);
        RateLimiterConfig before = limiter.config();
        List<RateLimiterEvent> events = new ArrayList<>();
        limiter.events().subscribe(events::add);

        assertThatThrownBy(() -> limiter.reconfigure(RateLimiterConfig.builder().limitForPeriod(99)
                .limitRefreshPeriod(Duration.ofSeconds(2)).timeoutDuration(Duration.ofSeconds(1)).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limitRefreshPeriod cannot change at run time");

        assertThat(limiter.config()).isSameAs(before);
        assertThat(drain(limiter)).isEqualTo(10);
        clock.advance(PERIOD);
        assertThat(drain(limiter)).isEqualTo(10);
        assertThat(events).noneMatch(e -> e.eventType() == RateLimiterEvent.Type.CONFIG_CHANGED);
    }

    @Test
    void aChangePublishesConfigChanged() {
        RateLimiter limiter = RateLimiter.of("r", limit(10), clock);
        List<RateLimiterEvent> events = new ArrayList<>();
        limiter.events().subscribe(events::add);

        limiter.reconfigure(limit(20));

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.eventType()).isEqualTo(RateLimiterEvent.Type.CONFIG_CHANGED);
            assertThat(e.details()).containsEntry("from", limit(10).toString()).containsEntry("to", limit(20).toString());
        });
    }

    /**
     * Many threads take permits while the limit is raised and lowered again and again in one period: that period
     * still admits exactly its limit (the changes apply from the next period), and the next admits exactly the
     * limit last set.
     */
    @Test
    void changingTheLimitUnderLoadKeepsTheCurrentPeriodExactly() throws Exception {
        RateLimiter limiter = RateLimiter.of("r", limit(1_000), clock);
        LongAdder admitted = new LongAdder();
        int threads = 8;
        Together.run(threads + 1, me -> {
            if (me == threads) {
                for (int i = 0; i < 500; i++) {
                    limiter.reconfigure(limit(i % 2 == 0 ? 5_000 : 10));
                }
                limiter.reconfigure(limit(300));
                return;
            }
            for (int i = 0; i < 2_000; i++) {
                if (limiter.acquirePermission()) {
                    admitted.increment();
                }
            }
        });

        assertThat(admitted.sum()).isEqualTo(1_000);
        clock.advance(PERIOD);
        assertThat(drain(limiter)).isEqualTo(300);
    }
}

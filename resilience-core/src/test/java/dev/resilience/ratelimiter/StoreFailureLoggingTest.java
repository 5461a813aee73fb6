package dev.resilience.ratelimiter;

import dev.resilience.core.ManualClock;
import dev.resilience.spi.RateLimiterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** A store failing for a long time is logged at most once per 30 s per limiter, and its recovery once. */
class StoreFailureLoggingTest {

    private final ManualClock clock = new ManualClock();
    private final Logger logger = Logger.getLogger("dev.resilience.ratelimiter.internal.StoreBackedRateLimiter");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
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

    {
        logger.addHandler(handler);
    }

    @AfterEach
    void removeHandler() {
        logger.removeHandler(handler);
    }

    @Test
    void failuresAreLoggedAtMostOncePerIntervalAndTheRecoveryOnce() {
        boolean[] failing = {true};
        RateLimiterStore store = (key, limit, period, maxWait) -> failing[0]
                ? CompletableFuture.failedFuture(new IllegalStateException("connection refused"))
                : CompletableFuture.completedFuture(dev.resilience.spi.Admission.GRANTED);
        RateLimiter limiter = RateLimiter.of("logged", RateLimiterConfig.builder()
                .onStoreFailure(StoreFailureMode.ALLOW).build(), clock, store, Duration.ofMillis(100));

        for (int second = 0; second < 59; second++) { // a failing probe every second for 59 s
            limiter.call(() -> "x");
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(records).filteredOn(r -> r.getLevel() == Level.WARNING).hasSize(2); // at 0 s and at 30 s
        assertThat(records.get(1).getMessage()).contains("earlier failures not logged");

        failing[0] = false;
        limiter.call(() -> "x");
        limiter.call(() -> "x");
        assertThat(records).filteredOn(r -> r.getLevel() == Level.INFO).hasSize(1);
        assertThat(limiter.storeStatus().orElseThrow().errors()).isEqualTo(59);
    }
}

package dev.resilience.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The system clock's coarse time: never ahead of the exact clock, moving while read, and its thread gone once
 * nobody reads. Real time, so the bounds are generous (CI is a noisy 2-core machine).
 */
class CoarseTickerTest {

    private static boolean tickerAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().equals("resilience-ticker"));
    }

    @Test
    void coarseTimeIsNeverAheadOfTheExactClockAndMovesOnWhileRead() {
        Clock clock = Clock.system();
        long first = clock.coarseNanoTime();
        long maxLag = 0;
        long last = first;
        long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
        while (System.nanoTime() < until) {
            long coarse = clock.coarseNanoTime();
            long exact = System.nanoTime();
            assertThat(coarse).isLessThanOrEqualTo(exact);
            maxLag = Math.max(maxLag, exact - coarse);
            last = coarse;
        }
        assertThat(last - first).isGreaterThan(Duration.ofMillis(100).toNanos());
        assertThat(Duration.ofNanos(maxLag)).isLessThan(Duration.ofMillis(250));
    }

    @Test
    void theTickerThreadEndsWhenNobodyReadsAndComesBackOnTheNextRead() {
        Clock.system().coarseNanoTime();
        await().atMost(Duration.ofSeconds(5)).until(CoarseTickerTest::tickerAlive);
        await().atMost(Duration.ofSeconds(10)).until(() -> !tickerAlive());
        Clock.system().coarseNanoTime();
        await().atMost(Duration.ofSeconds(5)).until(CoarseTickerTest::tickerAlive);
    }

    @Test
    void theTickerThreadIsADaemon() {
        Clock.system().coarseNanoTime();
        await().atMost(Duration.ofSeconds(5)).until(CoarseTickerTest::tickerAlive);
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().equals("resilience-ticker"))
                .allMatch(Thread::isDaemon);
    }

    @Test
    void aTestClockGivesExactTimeAsCoarseTime() {
        ManualClock clock = new ManualClock();
        clock.advance(Duration.ofMillis(1_234));
        assertThat(clock.coarseNanoTime()).isEqualTo(clock.nanoTime()).isEqualTo(1_234_000_000L);
    }
}

package dev.resilience.circuitbreaker;

import dev.resilience.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import dev.resilience.core.Clock;
import dev.resilience.core.CountingClock;
import dev.resilience.core.ManualClock;
import dev.resilience.core.ThrowingSupplier;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** What the CLOSED success path costs: clock reads and allocations. */
class CircuitBreakerHotPathTest {

    private static final long SYSTEM_TICK = Clock.system().coarseResolutionNanos();

    private static int readsPerSuccess(CircuitBreakerConfig config) {
        return readsPerSuccess(config, 0L)[0];
    }

    /** @return reads of the exact and of the coarse time for one successful call, on a clock of that resolution */
    private static int[] readsPerSuccess(CircuitBreakerConfig config, long coarseResolution) {
        CountingClock clock = new CountingClock();
        clock.coarseResolution = coarseResolution;
        CircuitBreaker cb = CircuitBreaker.of("clock", config, clock);
        clock.nanoTimeReads.set(0);
        clock.coarseReads.set(0);
        cb.call(() -> "ok");
        return new int[] {clock.nanoTimeReads.get(), clock.coarseReads.get()};
    }

    @Test
    void countWindowWithoutSlowCallDetectionReadsNoClock() {
        assertThat(readsPerSuccess(CircuitBreakerConfig.builder().slowCallDurationThreshold(Duration.ZERO).build())).isZero();
    }

    @Test
    void theSystemClocksCoarseResolutionIsTenMilliseconds() {
        assertThat(SYSTEM_TICK).isEqualTo(Duration.ofMillis(10).toNanos());
    }

    @Test
    void defaultSlowCallDetectionReadsOnlyTheCoarseTimeTwice() {
        assertThat(readsPerSuccess(CircuitBreakerConfig.defaults(), SYSTEM_TICK)).containsExactly(0, 2);
    }

    @Test
    void aTimeWindowWithDefaultSlowCallDetectionPicksItsBucketWithTheEndTime() {
        assertThat(readsPerSuccess(CircuitBreakerConfig.builder().slidingWindowType(SlidingWindowType.TIME_BASED).build(),
                SYSTEM_TICK)).containsExactly(0, 2);
    }

    @Test
    void aThresholdOfAHundredTicksIsTimedWithTheCoarseTime() {
        assertThat(readsPerSuccess(CircuitBreakerConfig.builder().slowCallDurationThreshold(Duration.ofSeconds(1)).build(),
                SYSTEM_TICK)).containsExactly(0, 2);
    }

    @Test
    void aThresholdUnderAHundredTicksIsTimedWithTheExactClock() {
        assertThat(readsPerSuccess(CircuitBreakerConfig.builder().slowCallDurationThreshold(Duration.ofMillis(999)).build(),
                SYSTEM_TICK)).containsExactly(2, 0);
        assertThat(readsPerSuccess(CircuitBreakerConfig.builder().slidingWindowType(SlidingWindowType.TIME_BASED)
                .slowCallDurationThreshold(Duration.ofMillis(999)).build(), SYSTEM_TICK)).containsExactly(2, 0);
    }

    @Test
    void timeWindowWithoutSlowCallDetectionReadsOnlyTheCoarseClockOnce() {
        CountingClock clock = new CountingClock();
        CircuitBreaker cb = CircuitBreaker.of("coarse", CircuitBreakerConfig.builder()
                .slidingWindowType(SlidingWindowType.TIME_BASED).slowCallDurationThreshold(Duration.ZERO).build(), clock);
        clock.nanoTimeReads.set(0);
        cb.call(() -> "ok");
        assertThat(clock.nanoTimeReads).hasValue(0);
        assertThat(clock.coarseReads).hasValue(1);
    }

    @Test
    void closedSuccessPathDoesNotAllocate() {
        assertClosedSuccessesDoNotAllocate(CircuitBreaker.of("alloc", CircuitBreakerConfig.builder().slidingWindowSize(50)
                .slowCallDurationThreshold(Duration.ofSeconds(1)).build(), new ManualClock()));
    }

    @Test
    void closedSuccessPathDoesNotAllocateWithTheDefaultConfigOnTheSystemClock() {
        assertClosedSuccessesDoNotAllocate(CircuitBreaker.ofDefaults("defaults"));
    }

    @Test
    void closedSuccessPathDoesNotAllocateWithATimeWindowOnTheSystemClock() {
        assertClosedSuccessesDoNotAllocate(CircuitBreaker.of("time", CircuitBreakerConfig.builder()
                .slidingWindowType(SlidingWindowType.TIME_BASED).slidingWindowSize(10).build()));
    }

    private static void assertClosedSuccessesDoNotAllocate(CircuitBreaker cb) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeThat(bean).isInstanceOf(com.sun.management.ThreadMXBean.class);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        long threadId = Thread.currentThread().getId();
        // One supplier for both loops: a second lambda would be linked inside the measured loop, and linking a
        // lambda allocates (about 29 KB on JDK 25).
        ThrowingSupplier<String, RuntimeException> ok = () -> "ok";
        for (int i = 0; i < 50_000; i++) {
            cb.call(ok);
        }
        long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 20_000; i++) {
            cb.call(ok);
        }
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        // far less than one object per call (a few hundred bytes of measurement noise at most)
        assertThat(allocated).isLessThan(20_000);
    }
}

package dev.resilience.retry;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backoff arithmetic over many (wait, multiplier, retry, cap, jitter) combinations: no overflow, no NaN, no
 * negative wait, a zero wait stays zero, and an overflowing growth saturates at the cap.
 */
class RetryBackoffArithmeticTest {

    private static final List<Duration> WAITS = List.of(Duration.ZERO, Duration.ofNanos(1), Duration.ofMillis(1),
            Duration.ofMillis(500), Duration.ofHours(1), Duration.ofDays(365 * 100), Duration.ofSeconds(Long.MAX_VALUE));
    private static final double[] MULTIPLIERS = {1, 1.000001, 1.5, 2, 10, 1e6, 1e300, Double.MAX_VALUE};
    private static final int[] RETRIES = {1, 2, 3, 10, 63, 64, 100, 1_024, 2_000, 1_000_000, Integer.MAX_VALUE};
    private static final List<Duration> CAPS = new ArrayList<>();
    private static final double[] FACTORS = {0, 0.5, 1};
    private static final double[] RANDOMS = {0, 0.25, 0.5, 0.999_999_999};

    static {
        CAPS.add(null);
        CAPS.add(Duration.ofMillis(1));
        CAPS.add(Duration.ofSeconds(30));
        CAPS.add(Duration.ofDays(1));
    }

    /** @return whether the builder takes this cap beside this wait (a cap is never below the wait) */
    private static boolean capFits(Duration wait, Duration cap) {
        return cap == null || cap.compareTo(wait) >= 0;
    }

    /** The exact wait without jitter: min(wait * multiplier^(retry-1), cap), computed without floating overflow. */
    private static long exactWaitNanos(long waitNanos, double multiplier, int retry, long capNanos) {
        if (waitNanos == 0) {
            return 0;
        }
        if (multiplier == 1) {
            return Math.min(waitNanos, capNanos);
        }
        if (Math.log(waitNanos) + (retry - 1) * Math.log(multiplier) > Math.log(capNanos) + 1) {
            return capNanos; // far past the cap: no need for exact arithmetic
        }
        BigDecimal w = BigDecimal.valueOf(waitNanos).multiply(new BigDecimal(multiplier).pow(retry - 1, MathContext.DECIMAL128));
        return w.compareTo(BigDecimal.valueOf(capNanos)) >= 0 ? capNanos : w.toBigInteger().longValueExact();
    }

    @Test
    void everyWaitIsBetweenZeroAndTheCapAndAZeroWaitStaysZero() {
        int checked = 0;
        for (Duration wait : WAITS) {
            for (double multiplier : MULTIPLIERS) {
                for (Duration cap : CAPS) {
                    if (!capFits(wait, cap)) {
                        continue;
                    }
                    for (double factor : FACTORS) {
                        for (double random : RANDOMS) {
                            RetryConfig config = RetryConfig.builder().waitDuration(wait).exponentialBackoffMultiplier(multiplier)
                                    .exponentialMaxWaitDuration(cap).randomizedWaitFactor(factor).random(() -> random).build();
                            long capNanos = cap == null ? RetryConfig.MAX_WAIT_NANOS : cap.toNanos();
                            for (int retry : RETRIES) {
                                String what = "wait " + wait + ", multiplier " + multiplier + ", cap " + cap + ", jitter "
                                        + factor + " at " + random + ", retry " + retry;
                                long nanos = config.waitNanosBeforeRetry(retry);
                                assertThat(nanos).as(what).isBetween(0L, capNanos);
                                assertThat(config.waitBeforeRetry(retry)).as(what).isEqualTo(Duration.ofNanos(nanos));
                                if (wait.isZero()) {
                                    assertThat(nanos).as(what).isZero();
                                }
                                checked++;
                            }
                        }
                    }
                }
            }
        }
        long pairs = WAITS.stream().mapToLong(wait -> CAPS.stream().filter(cap -> capFits(wait, cap)).count()).sum();
        assertThat(pairs).isEqualTo(19); // of 28: a cap below the wait is refused by the builder (RetryConfigTest)
        assertThat(checked).isEqualTo(pairs * MULTIPLIERS.length * FACTORS.length * RANDOMS.length * RETRIES.length);
    }

    @Test
    void withoutJitterEachWaitIsTheExactProductOrTheCapWhenItWouldOverflow() {
        for (Duration wait : WAITS) {
            for (double multiplier : MULTIPLIERS) {
                for (Duration cap : CAPS) {
                    if (!capFits(wait, cap)) {
                        continue;
                    }
                    RetryConfig config = RetryConfig.builder().waitDuration(wait).exponentialBackoffMultiplier(multiplier)
                            .exponentialMaxWaitDuration(cap).build();
                    long capNanos = cap == null ? RetryConfig.MAX_WAIT_NANOS : cap.toNanos();
                    long waitNanos = Math.min(saturatedNanos(wait), RetryConfig.MAX_WAIT_NANOS);
                    long previous = 0;
                    for (int retry : RETRIES) {
                        String what = "wait " + wait + ", multiplier " + multiplier + ", cap " + cap + ", retry " + retry;
                        long nanos = config.waitNanosBeforeRetry(retry);
                        long exact = exactWaitNanos(waitNanos, multiplier, retry, capNanos);
                        // Doubles carry 53 bits: allow a relative rounding error of 1e-9 below the cap.
                        assertThat((double) nanos).as(what).isCloseTo((double) exact, org.assertj.core.data.Offset.offset(exact * 1e-9 + 1));
                        assertThat(nanos).as(what + " never shrinks as retries go on").isGreaterThanOrEqualTo(previous);
                        previous = nanos;
                    }
                }
            }
        }
    }

    @Test
    void jitterStaysWithinTheFactorAroundTheUnjitteredWait() {
        for (Duration wait : WAITS) {
            for (double multiplier : MULTIPLIERS) {
                for (Duration cap : CAPS) {
                    if (!capFits(wait, cap)) {
                        continue;
                    }
                    for (double factor : FACTORS) {
                        for (double random : RANDOMS) {
                            RetryConfig plain = RetryConfig.builder().waitDuration(wait).exponentialBackoffMultiplier(multiplier)
                                    .exponentialMaxWaitDuration(cap).build();
                            RetryConfig jittered = plain.toBuilder().randomizedWaitFactor(factor).random(() -> random).build();
                            long capNanos = cap == null ? RetryConfig.MAX_WAIT_NANOS : cap.toNanos();
                            for (int retry : RETRIES) {
                                String what = "wait " + wait + ", multiplier " + multiplier + ", cap " + cap + ", jitter "
                                        + factor + " at " + random + ", retry " + retry;
                                double w = plain.waitNanosBeforeRetry(retry);
                                long nanos = jittered.waitNanosBeforeRetry(retry);
                                double low = Math.floor(w * (1 - factor) * (1 - 1e-9)) - 1;
                                double high = Math.min(Math.ceil(w * (1 + factor) * (1 + 1e-9)) + 1, capNanos);
                                assertThat((double) nanos).as(what).isBetween(Math.max(0, low), high);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void aZeroWaitWithAHugeMultiplierStaysZeroAtEveryRetry() {
        RetryConfig config = RetryConfig.builder().waitDuration(Duration.ZERO).exponentialBackoffMultiplier(1e300)
                .randomizedWaitFactor(0.5).build();
        for (int retry = 1; retry <= 5_000; retry++) {
            assertThat(config.waitBeforeRetry(retry)).as("retry %d", retry).isZero();
        }
    }

    @Test
    void anOverflowingGrowthSaturatesAtTheConfiguredCap() {
        RetryConfig config = RetryConfig.builder().waitDuration(Duration.ofMillis(100)).exponentialBackoffMultiplier(2)
                .exponentialMaxWaitDuration(Duration.ofSeconds(30)).randomizedWaitFactor(0.5).random(() -> 0.999_999).build();
        assertThat(config.waitBeforeRetry(2_000)).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.waitBeforeRetry(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}

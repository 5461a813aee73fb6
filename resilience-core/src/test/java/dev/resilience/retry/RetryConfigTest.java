package dev.resilience.retry;

import dev.resilience.core.InvalidConfigException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryConfigTest {

    private static List<Long> waitsMillis(RetryConfig config, int count) {
        List<Long> waits = new ArrayList<>();
        for (int k = 1; k <= count; k++) {
            waits.add(config.waitBeforeRetry(k).toMillis());
        }
        return waits;
    }

    @Test
    void defaultsMatchTheContract() {
        RetryConfig c = RetryConfig.defaults();
        assertThat(c.maxAttempts()).isEqualTo(3);
        assertThat(c.waitDuration()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.exponentialBackoffMultiplier()).isEqualTo(1.0);
        assertThat(c.exponentialMaxWaitDuration()).isEmpty();
        assertThat(c.randomizedWaitFactor()).isZero();
        assertThat(c.retryExceptions()).isEmpty();
        assertThat(c.ignoreExceptions()).isEmpty();
        assertThat(c.retryOnException()).isEmpty();
        assertThat(c.retryOnResult()).isEmpty();
    }

    @Test
    void fixedBackoffWaitsTheSameEachTime() {
        RetryConfig c = RetryConfig.builder().waitDuration(Duration.ofMillis(200)).build();
        assertThat(waitsMillis(c, 4)).containsExactly(200L, 200L, 200L, 200L);
    }

    @Test
    void exponentialBackoffMultipliesEachWait() {
        RetryConfig c = RetryConfig.builder().waitDuration(Duration.ofMillis(100)).exponentialBackoffMultiplier(2).build();
        assertThat(waitsMillis(c, 5)).containsExactly(100L, 200L, 400L, 800L, 1600L);
    }

    @Test
    void exponentialBackoffIsCappedByMaxWait() {
        RetryConfig c = RetryConfig.builder().waitDuration(Duration.ofMillis(100)).exponentialBackoffMultiplier(3)
                .exponentialMaxWaitDuration(Duration.ofSeconds(1)).build();
        assertThat(waitsMillis(c, 5)).containsExactly(100L, 300L, 900L, 1000L, 1000L);
    }

    @Test
    void uncappedBackoffSaturatesInsteadOfOverflowing() {
        RetryConfig c = RetryConfig.builder().waitDuration(Duration.ofSeconds(1)).exponentialBackoffMultiplier(10).build();
        assertThat(c.waitNanosBeforeRetry(200)).isEqualTo(RetryConfig.MAX_WAIT_NANOS);
        assertThat(c.waitNanosBeforeRetry(Integer.MAX_VALUE)).isEqualTo(RetryConfig.MAX_WAIT_NANOS);
    }

    @Test
    void jitterDrawsUniformlyAroundTheWaitWithTheInjectedRandom() {
        double[] next = {0.0};
        RetryConfig c = RetryConfig.builder().waitDuration(Duration.ofSeconds(1)).randomizedWaitFactor(0.5)
                .random(() -> next[0]).build();
        next[0] = 0.0;
        assertThat(c.waitBeforeRetry(1)).isEqualTo(Duration.ofMillis(500));
        next[0] = 0.5;
        assertThat(c.waitBeforeRetry(1)).isEqualTo(Duration.ofMillis(1000));
        next[0] = 0.75;
        assertThat(c.waitBeforeRetry(1)).isEqualTo(Duration.ofMillis(1250));
    }

    @Test
    void jitterStaysWithinBoundsWithTheDefaultRandom() {
        RetryConfig c = RetryConfig.builder().waitDuration(Duration.ofMillis(1000)).randomizedWaitFactor(0.2).build();
        for (int i = 0; i < 10_000; i++) {
            assertThat(c.waitNanosBeforeRetry(1)).isBetween(800_000_000L, 1_200_000_000L);
        }
    }

    @Test
    void jitteredWaitIsCappedByMaxWait() {
        RetryConfig c = RetryConfig.builder().waitDuration(Duration.ofSeconds(1)).exponentialBackoffMultiplier(2)
                .exponentialMaxWaitDuration(Duration.ofMillis(1500)).randomizedWaitFactor(1.0)
                .random(() -> 0.99).build();
        assertThat(c.waitBeforeRetry(1)).isEqualTo(Duration.ofMillis(1500)); // 1 s * 1.98 -> capped
        assertThat(c.waitBeforeRetry(3)).isEqualTo(Duration.ofMillis(1500)); // capped before and after jitter
    }

    @Test
    void waitBeforeRetryRejectsRetryNumbersBelowOne() {
        assertThatThrownBy(() -> RetryConfig.defaults().waitBeforeRetry(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ignoreWinsOverRetryAndErrorsAreNeverRetryable() {
        RetryConfig c = RetryConfig.builder().retryExceptions(IOException.class, IllegalStateException.class)
                .ignoreExceptions(java.io.FileNotFoundException.class).build();
        assertThat(c.isRetryable(new IOException())).isTrue();
        assertThat(c.isRetryable(new java.io.FileNotFoundException())).isFalse();
        assertThat(c.isRetryable(new IllegalArgumentException())).isFalse();
        assertThat(c.isRetryable(new OutOfMemoryError())).isFalse();
        assertThat(RetryConfig.defaults().isRetryable(new AssertionError())).isFalse();
    }

    @Test
    void toBuilderCopiesEverySetting() {
        RetryConfig c = RetryConfig.builder().maxAttempts(7).waitDuration(Duration.ofMillis(3)).exponentialBackoffMultiplier(1.5)
                .exponentialMaxWaitDuration(Duration.ofSeconds(9)).randomizedWaitFactor(0.25)
                .retryExceptions(IOException.class).ignoreExceptions(IllegalStateException.class)
                .retryOnException(e -> true).retryOnResult(r -> false).build();
        RetryConfig copy = c.toBuilder().build();
        assertThat(copy).usingRecursiveComparison().ignoringFields("classifier").isEqualTo(c);
    }

    // ---------------------------------------------------------------- validation, one per setting

    private static void assertInvalid(Runnable setter, String setting, String allowed) {
        assertThatThrownBy(setter::run).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(setting).hasMessageContaining(allowed)
                .extracting(e -> ((InvalidConfigException) e).setting()).isEqualTo(setting);
    }

    @Test
    void maxAttemptsMustBeAtLeastOne() {
        assertInvalid(() -> RetryConfig.builder().maxAttempts(0), "maxAttempts", "at least 1");
        assertInvalid(() -> RetryConfig.builder().maxAttempts(-3), "maxAttempts", "at least 1");
        assertThat(RetryConfig.builder().maxAttempts(1).build().maxAttempts()).isEqualTo(1);
    }

    @Test
    void waitDurationMustNotBeNegativeOrNull() {
        assertInvalid(() -> RetryConfig.builder().waitDuration(Duration.ofMillis(-1)), "waitDuration", "zero or a positive duration");
        assertInvalid(() -> RetryConfig.builder().waitDuration(null), "waitDuration", "not null");
        assertThat(RetryConfig.builder().waitDuration(Duration.ZERO).build().waitBeforeRetry(1)).isZero();
    }

    @Test
    void exponentialBackoffMultiplierMustBeAtLeastOneAndFinite() {
        assertInvalid(() -> RetryConfig.builder().exponentialBackoffMultiplier(0.99), "exponentialBackoffMultiplier", "at least 1");
        assertInvalid(() -> RetryConfig.builder().exponentialBackoffMultiplier(Double.NaN), "exponentialBackoffMultiplier", "at least 1");
        assertInvalid(() -> RetryConfig.builder().exponentialBackoffMultiplier(Double.POSITIVE_INFINITY), "exponentialBackoffMultiplier", "finite");
    }

    @Test
    void exponentialMaxWaitDurationMustBePositive() {
        assertInvalid(() -> RetryConfig.builder().exponentialMaxWaitDuration(Duration.ZERO), "exponentialMaxWaitDuration", "a positive duration");
        assertInvalid(() -> RetryConfig.builder().exponentialMaxWaitDuration(Duration.ofSeconds(-1)), "exponentialMaxWaitDuration", "a positive duration");
        assertThat(RetryConfig.builder().exponentialMaxWaitDuration(Duration.ofSeconds(1)).exponentialMaxWaitDuration(null)
                .build().exponentialMaxWaitDuration()).isEmpty();
    }

    @Test
    void aCapBelowTheWaitFailsTheBuildNamingBothSettings() {
        // Otherwise the cap would silently replace the configured wait.
        assertThatThrownBy(() -> RetryConfig.builder().waitDuration(Duration.ofSeconds(10))
                .exponentialMaxWaitDuration(Duration.ofMillis(1)).build())
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.setting()).isEqualTo("exponentialMaxWaitDuration");
                    assertThat(e.relation()).isEqualTo("at least");
                    assertThat(e.relatedSetting()).isEqualTo("waitDuration");
                    assertThat(e.relatedValue()).isEqualTo(Duration.ofSeconds(10));
                })
                .hasMessageContaining("exponentialMaxWaitDuration must be at least waitDuration (PT10S), but was PT0.001S");
    }

    @Test
    void aCapEqualToTheWaitIsAccepted() {
        RetryConfig config = RetryConfig.builder().waitDuration(Duration.ofSeconds(2)).exponentialMaxWaitDuration(Duration.ofSeconds(2))
                .exponentialBackoffMultiplier(2).build();
        assertThat(config.waitBeforeRetry(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.waitBeforeRetry(3)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void randomizedWaitFactorMustBeBetweenZeroAndOne() {
        assertInvalid(() -> RetryConfig.builder().randomizedWaitFactor(-0.1), "randomizedWaitFactor", "between 0 and 1");
        assertInvalid(() -> RetryConfig.builder().randomizedWaitFactor(1.01), "randomizedWaitFactor", "between 0 and 1");
        assertInvalid(() -> RetryConfig.builder().randomizedWaitFactor(Double.NaN), "randomizedWaitFactor", "between 0 and 1");
        assertThat(RetryConfig.builder().randomizedWaitFactor(1).build().randomizedWaitFactor()).isEqualTo(1.0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void exceptionListsMustNotBeNull() {
        assertInvalid(() -> RetryConfig.builder().retryExceptions((Class<? extends Throwable>[]) null), "retryExceptions", "not null");
        assertInvalid(() -> RetryConfig.builder().ignoreExceptions((Class<? extends Throwable>[]) null), "ignoreExceptions", "not null");
        assertInvalid(() -> RetryConfig.builder().retryExceptions(IOException.class, null), "retryExceptions", "without null");
    }

    @Test
    void randomMustNotBeNull() {
        assertInvalid(() -> RetryConfig.builder().random(null), "random", "not null");
    }

    @Test
    void retryExceptionsAndTheRetryPredicateEachMakeAnExceptionRetryable() {
        RetryConfig c = RetryConfig.builder().retryExceptions(IOException.class)
                .retryOnException(e -> "503".equals(e.getMessage())).ignoreExceptions(java.io.FileNotFoundException.class)
                .build();
        assertThat(c.isRetryable(new IOException("timeout"))).as("its class is listed").isTrue();
        assertThat(c.isRetryable(new IllegalStateException("503"))).as("the predicate accepts it").isTrue();
        assertThat(c.isRetryable(new IllegalStateException("404"))).as("neither").isFalse();
        assertThat(c.isRetryable(new java.io.FileNotFoundException("503"))).as("ignoring wins").isFalse();
    }
}

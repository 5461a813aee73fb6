package dev.resilience.ratelimiter;

import dev.resilience.core.InvalidConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterConfigTest {

    private static void assertInvalid(Runnable setter, String setting, String allowed) {
        assertThatThrownBy(setter::run).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(setting).hasMessageContaining(allowed)
                .extracting(e -> ((InvalidConfigException) e).setting()).isEqualTo(setting);
    }

    @Test
    void defaultsMatchTheContract() {
        RateLimiterConfig c = RateLimiterConfig.defaults();
        assertThat(c.limitForPeriod()).isEqualTo(50);
        assertThat(c.limitRefreshPeriod()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.timeoutDuration()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void toBuilderCopiesEverySetting() {
        RateLimiterConfig c = RateLimiterConfig.builder().limitForPeriod(7).limitRefreshPeriod(Duration.ofMillis(20))
                .timeoutDuration(Duration.ZERO).build();
        RateLimiterConfig copy = c.toBuilder().build();
        assertThat(copy).usingRecursiveComparison().isEqualTo(c);
        assertThat(c.toBuilder().limitForPeriod(8).build().limitForPeriod()).isEqualTo(8);
        assertThat(c.limitForPeriod()).isEqualTo(7);
    }

    @Test
    void limitForPeriodMustBeAtLeastOne() {
        assertInvalid(() -> RateLimiterConfig.builder().limitForPeriod(0), "limitForPeriod", "at least 1");
        assertInvalid(() -> RateLimiterConfig.builder().limitForPeriod(-5), "limitForPeriod", "at least 1");
    }

    @Test
    void limitRefreshPeriodMustBePositiveDownToOneNanosecond() {
        assertInvalid(() -> RateLimiterConfig.builder().limitRefreshPeriod(Duration.ZERO), "limitRefreshPeriod", "a positive duration");
        assertInvalid(() -> RateLimiterConfig.builder().limitRefreshPeriod(Duration.ofMillis(-1)), "limitRefreshPeriod", "a positive duration");
        assertInvalid(() -> RateLimiterConfig.builder().limitRefreshPeriod(null), "limitRefreshPeriod", "not null");
        assertInvalid(() -> RateLimiterConfig.builder().limitRefreshPeriod(ChronoUnit.FOREVER.getDuration()), "limitRefreshPeriod", "at most");
        assertThat(RateLimiterConfig.builder().limitRefreshPeriod(Duration.ofNanos(1)).build().limitRefreshPeriod()).isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void timeoutDurationMustNotBeNegative() {
        assertInvalid(() -> RateLimiterConfig.builder().timeoutDuration(Duration.ofNanos(-1)), "timeoutDuration", "zero or a positive duration");
        assertInvalid(() -> RateLimiterConfig.builder().timeoutDuration(null), "timeoutDuration", "not null");
        assertThat(RateLimiterConfig.builder().timeoutDuration(Duration.ZERO).build().timeoutDuration()).isZero();
    }
}

package dev.resilience.core.internal;


import dev.resilience.core.InvalidConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidateTest {

    @Test
    void intOutsideRangeNamesSettingValueAndRange() {
        assertThatThrownBy(() -> Validate.between("slidingWindowSize", 0, 1, 100))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("slidingWindowSize must be between 1 and 100, but was 0")
                .satisfies(e -> {
                    InvalidConfigException ice = (InvalidConfigException) e;
                    assertThat(ice.setting()).isEqualTo("slidingWindowSize");
                    assertThat(ice.value()).isEqualTo(0);
                    assertThat(ice.allowed()).isEqualTo("between 1 and 100");
                });
    }

    @Test
    void openEndedRangeSaysAtLeast() {
        assertThatThrownBy(() -> Validate.atLeast("maxAttempts", 0, 1)).hasMessage("maxAttempts must be at least 1, but was 0");
    }

    @Test
    void doubleRangeWithExclusiveMinimum() {
        assertThatThrownBy(() -> Validate.between("failureRateThreshold", 0.0, 0, true, 100))
                .hasMessage("failureRateThreshold must be greater than 0 and at most 100, but was 0.0");
        assertThatThrownBy(() -> Validate.between("failureRateThreshold", Double.NaN, 0, true, 100))
                .isInstanceOf(InvalidConfigException.class);
        assertThat(Validate.between("failureRateThreshold", 100.0, 0, true, 100)).isEqualTo(100.0);
    }

    @Test
    void positiveDurationRejectsZeroNegativeAndNull() {
        assertThatThrownBy(() -> Validate.positive("waitDuration", Duration.ZERO)).hasMessageContaining("a positive duration");
        assertThatThrownBy(() -> Validate.positive("waitDuration", Duration.ofNanos(-1))).hasMessageContaining("PT-0.000000001S");
        assertThatThrownBy(() -> Validate.positive("waitDuration", null)).isInstanceOf(InvalidConfigException.class);
        assertThat(Validate.positive("waitDuration", Duration.ofNanos(1))).isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void notNegativeDurationAcceptsZero() {
        assertThat(Validate.notNegative("maxWaitDuration", Duration.ZERO)).isZero();
        assertThatThrownBy(() -> Validate.notNegative("maxWaitDuration", Duration.ofMillis(-1)))
                .hasMessageContaining("zero or a positive duration");
    }
}

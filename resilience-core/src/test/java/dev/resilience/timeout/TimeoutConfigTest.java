package dev.resilience.timeout;

import dev.resilience.core.InvalidConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeoutConfigTest {

    @Test
    void defaultsAreOneSecondAndCancelling() {
        assertThat(TimeoutConfig.defaults().timeoutDuration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(TimeoutConfig.defaults().cancelRunningFuture()).isTrue();
    }

    @Test
    void toBuilderCopiesEverySetting() {
        TimeoutConfig config = TimeoutConfig.builder().timeoutDuration(Duration.ofMillis(250)).cancelRunningFuture(false).build();
        TimeoutConfig copy = config.toBuilder().build();
        assertThat(copy.timeoutDuration()).isEqualTo(Duration.ofMillis(250));
        assertThat(copy.cancelRunningFuture()).isFalse();
    }

    @Test
    void zeroTimeoutDurationIsRejected() {
        assertThatThrownBy(() -> TimeoutConfig.builder().timeoutDuration(Duration.ZERO))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("timeoutDuration").hasMessageContaining("a positive duration");
    }

    @Test
    void negativeTimeoutDurationIsRejected() {
        assertThatThrownBy(() -> TimeoutConfig.builder().timeoutDuration(Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("timeoutDuration").hasMessageContaining("a positive duration");
    }

    @Test
    void nullTimeoutDurationIsRejected() {
        assertThatThrownBy(() -> TimeoutConfig.builder().timeoutDuration(null))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("timeoutDuration");
    }
}

package dev.resilience.bulkhead;

import dev.resilience.core.InvalidConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BulkheadConfigTest {

    @Test
    void defaultsAreTwentyFiveConcurrentCallsAndNoWait() {
        BulkheadConfig config = BulkheadConfig.defaults();
        assertThat(config.maxConcurrentCalls()).isEqualTo(25);
        assertThat(config.maxWaitDuration()).isEqualTo(Duration.ZERO);
    }

    @Test
    void builderKeepsValidValues() {
        BulkheadConfig config = BulkheadConfig.builder().maxConcurrentCalls(1).maxWaitDuration(Duration.ofMillis(5)).build();
        assertThat(config.maxConcurrentCalls()).isEqualTo(1);
        assertThat(config.maxWaitDuration()).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void toBuilderCopiesEverySetting() {
        BulkheadConfig config = BulkheadConfig.builder().maxConcurrentCalls(3).maxWaitDuration(Duration.ofSeconds(2)).build();
        BulkheadConfig copy = config.toBuilder().build();
        assertThat(copy.maxConcurrentCalls()).isEqualTo(3);
        assertThat(copy.maxWaitDuration()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void builtConfigDoesNotChangeWithItsBuilder() {
        BulkheadConfig.Builder builder = BulkheadConfig.builder().maxConcurrentCalls(3);
        BulkheadConfig config = builder.build();
        builder.maxConcurrentCalls(7);
        assertThat(config.maxConcurrentCalls()).isEqualTo(3);
    }

    @Test
    void maxConcurrentCallsBelowOneIsRejected() {
        assertThatThrownBy(() -> BulkheadConfig.builder().maxConcurrentCalls(0))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("maxConcurrentCalls").hasMessageContaining("at least 1").hasMessageContaining("0");
    }

    @Test
    void negativeMaxWaitDurationIsRejected() {
        assertThatThrownBy(() -> BulkheadConfig.builder().maxWaitDuration(Duration.ofMillis(-1)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("maxWaitDuration").hasMessageContaining("zero or a positive duration");
    }

    @Test
    void nullMaxWaitDurationIsRejected() {
        assertThatThrownBy(() -> BulkheadConfig.builder().maxWaitDuration(null))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("maxWaitDuration");
    }
}

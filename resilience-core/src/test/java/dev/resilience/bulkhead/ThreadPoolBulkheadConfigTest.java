package dev.resilience.bulkhead;

import dev.resilience.core.InvalidConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThreadPoolBulkheadConfigTest {

    private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

    @Test
    void defaultsFollowTheProcessorCount() {
        ThreadPoolBulkheadConfig config = ThreadPoolBulkheadConfig.defaults();
        assertThat(config.coreThreadPoolSize()).isEqualTo(PROCESSORS);
        assertThat(config.maxThreadPoolSize()).isEqualTo(PROCESSORS);
        assertThat(config.queueCapacity()).isEqualTo(100);
        assertThat(config.keepAliveDuration()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void unsetMaxThreadPoolSizeFollowsALargerCoreSize() {
        ThreadPoolBulkheadConfig config = ThreadPoolBulkheadConfig.builder().coreThreadPoolSize(PROCESSORS + 3).build();
        assertThat(config.maxThreadPoolSize()).isEqualTo(PROCESSORS + 3);
    }

    @Test
    void toBuilderCopiesEverySetting() {
        ThreadPoolBulkheadConfig config = ThreadPoolBulkheadConfig.builder().coreThreadPoolSize(2).maxThreadPoolSize(5)
                .queueCapacity(0).keepAliveDuration(Duration.ZERO).build();
        ThreadPoolBulkheadConfig copy = config.toBuilder().build();
        assertThat(copy.coreThreadPoolSize()).isEqualTo(2);
        assertThat(copy.maxThreadPoolSize()).isEqualTo(5);
        assertThat(copy.queueCapacity()).isZero();
        assertThat(copy.keepAliveDuration()).isEqualTo(Duration.ZERO);
    }

    @Test
    void coreThreadPoolSizeBelowOneIsRejected() {
        assertThatThrownBy(() -> ThreadPoolBulkheadConfig.builder().coreThreadPoolSize(0))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("coreThreadPoolSize").hasMessageContaining("at least 1");
    }

    @Test
    void maxThreadPoolSizeBelowOneIsRejected() {
        assertThatThrownBy(() -> ThreadPoolBulkheadConfig.builder().maxThreadPoolSize(0))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("maxThreadPoolSize").hasMessageContaining("at least 1");
    }

    @Test
    void maxThreadPoolSizeBelowCoreSizeIsRejectedNamingBoth() {
        assertThatThrownBy(() -> ThreadPoolBulkheadConfig.builder().coreThreadPoolSize(4).maxThreadPoolSize(2).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("maxThreadPoolSize").hasMessageContaining("coreThreadPoolSize")
                .hasMessageContaining("at least").hasMessageContaining("4").hasMessageContaining("2");
    }

    @Test
    void negativeQueueCapacityIsRejected() {
        assertThatThrownBy(() -> ThreadPoolBulkheadConfig.builder().queueCapacity(-1))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("queueCapacity").hasMessageContaining("at least 0");
    }

    @Test
    void negativeKeepAliveDurationIsRejected() {
        assertThatThrownBy(() -> ThreadPoolBulkheadConfig.builder().keepAliveDuration(Duration.ofMillis(-1)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("keepAliveDuration").hasMessageContaining("zero or a positive duration");
    }
}

package dev.resilience.circuitbreaker;

import dev.resilience.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import dev.resilience.core.InvalidConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CircuitBreakerConfigTest {

    private static void rejects(Executable setter, String setting, String range) {
        assertThatThrownBy(setter::execute)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(setting)
                .hasMessageContaining(range)
                .satisfies(e -> assertThat(((InvalidConfigException) e).setting()).isEqualTo(setting));
    }

    @Test
    void defaultsFollowTheContract() {
        CircuitBreakerConfig c = CircuitBreakerConfig.defaults();
        assertThat(c.slidingWindowType()).isEqualTo(SlidingWindowType.COUNT_BASED);
        assertThat(c.slidingWindowSize()).isEqualTo(100);
        assertThat(c.minimumNumberOfCalls()).isEqualTo(100);
        assertThat(c.failureRateThreshold()).isEqualTo(50f);
        assertThat(c.slowCallRateThreshold()).isEqualTo(50f);
        assertThat(c.slowCallDurationThreshold()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.permittedNumberOfCallsInHalfOpenState()).isEqualTo(10);
        assertThat(c.maxWaitDurationInHalfOpenState()).isEqualTo(Duration.ZERO);
        assertThat(c.automaticTransitionFromOpenToHalfOpenEnabled()).isFalse();
        assertThat(c.recordExceptions()).isEmpty();
        assertThat(c.ignoreExceptions()).isEmpty();
        assertThat(c.recordException()).isEmpty();
        assertThat(c.ignoreException()).isEmpty();
        assertThat(c.recordResult()).isEmpty();
    }

    @Test
    void toBuilderCopiesEverySetting() {
        CircuitBreakerConfig c = CircuitBreakerConfig.builder().slidingWindowType(SlidingWindowType.TIME_BASED)
                .slidingWindowSize(30).minimumNumberOfCalls(7).failureRateThreshold(20).slowCallRateThreshold(30)
                .slowCallDurationThreshold(Duration.ZERO).waitDurationInOpenState(Duration.ofSeconds(5))
                .permittedNumberOfCallsInHalfOpenState(3).maxWaitDurationInHalfOpenState(Duration.ofSeconds(9))
                .automaticTransitionFromOpenToHalfOpenEnabled(true).recordExceptions(IOException.class)
                .ignoreExceptions(IllegalStateException.class).recordException(t -> true).ignoreException(t -> false)
                .recordResult(r -> false).build();
        CircuitBreakerConfig copy = c.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(c.toString());
        assertThat(copy.recordException()).isEqualTo(c.recordException());
        assertThat(copy.ignoreException()).isEqualTo(c.ignoreException());
        assertThat(copy.recordResult()).isEqualTo(c.recordResult());
        assertThat(copy.slidingWindowType()).isEqualTo(SlidingWindowType.TIME_BASED);
    }

    @Test
    void builtConfigDoesNotChangeWithItsBuilder() {
        CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.builder().slidingWindowSize(10);
        CircuitBreakerConfig c = builder.build();
        builder.slidingWindowSize(20);
        assertThat(c.slidingWindowSize()).isEqualTo(10);
    }

    @Test
    void slidingWindowTypeRejectsNull() {
        rejects(() -> CircuitBreakerConfig.builder().slidingWindowType(null), "slidingWindowType", "not null");
    }

    @Test
    void slidingWindowTypeRejectsASizeOutsideTheNewTypesRange() {
        rejects(() -> CircuitBreakerConfig.builder().slidingWindowSize(5000).slidingWindowType(SlidingWindowType.TIME_BASED),
                "slidingWindowSize", "between 1 and 3600");
    }

    @Test
    void countBasedSlidingWindowSizeIsBetween1And65535Calls() {
        rejects(() -> CircuitBreakerConfig.builder().slidingWindowSize(0), "slidingWindowSize", "between 1 and 65535");
        rejects(() -> CircuitBreakerConfig.builder().slidingWindowSize(65_536), "slidingWindowSize", "between 1 and 65535");
        assertThat(CircuitBreakerConfig.builder().slidingWindowSize(65_535).build().slidingWindowSize()).isEqualTo(65_535);
    }

    @Test
    void timeBasedSlidingWindowSizeIsBetween1And3600Seconds() {
        CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder().slidingWindowType(SlidingWindowType.TIME_BASED);
        rejects(() -> b.slidingWindowSize(0), "slidingWindowSize", "between 1 and 3600 (seconds");
        rejects(() -> b.slidingWindowSize(3601), "slidingWindowSize", "between 1 and 3600 (seconds");
        assertThat(b.slidingWindowSize(3600).build().slidingWindowSize()).isEqualTo(3600);
    }

    @Test
    void minimumNumberOfCallsIsAtLeast1() {
        rejects(() -> CircuitBreakerConfig.builder().minimumNumberOfCalls(0), "minimumNumberOfCalls", "at least 1");
    }

    @Test
    void failureRateThresholdIsAbove0AndAtMost100() {
        rejects(() -> CircuitBreakerConfig.builder().failureRateThreshold(0), "failureRateThreshold", "greater than 0 and at most 100");
        rejects(() -> CircuitBreakerConfig.builder().failureRateThreshold(100.5f), "failureRateThreshold", "greater than 0 and at most 100");
        rejects(() -> CircuitBreakerConfig.builder().failureRateThreshold(Float.NaN), "failureRateThreshold", "greater than 0 and at most 100");
        assertThat(CircuitBreakerConfig.builder().failureRateThreshold(100).build().failureRateThreshold()).isEqualTo(100f);
    }

    @Test
    void slowCallRateThresholdIsAbove0AndAtMost100() {
        rejects(() -> CircuitBreakerConfig.builder().slowCallRateThreshold(-1), "slowCallRateThreshold", "greater than 0 and at most 100");
        rejects(() -> CircuitBreakerConfig.builder().slowCallRateThreshold(101), "slowCallRateThreshold", "greater than 0 and at most 100");
    }

    @Test
    void slowCallDurationThresholdIsZeroOrPositive() {
        rejects(() -> CircuitBreakerConfig.builder().slowCallDurationThreshold(Duration.ofMillis(-1)), "slowCallDurationThreshold", "zero or a positive duration");
        rejects(() -> CircuitBreakerConfig.builder().slowCallDurationThreshold(null), "slowCallDurationThreshold", "not null");
        assertThat(CircuitBreakerConfig.builder().slowCallDurationThreshold(Duration.ZERO).build().slowCallDurationThreshold()).isZero();
    }

    @Test
    void waitDurationInOpenStateIsPositive() {
        rejects(() -> CircuitBreakerConfig.builder().waitDurationInOpenState(Duration.ZERO), "waitDurationInOpenState", "a positive duration");
        rejects(() -> CircuitBreakerConfig.builder().waitDurationInOpenState(Duration.ofSeconds(-1)), "waitDurationInOpenState", "a positive duration");
    }

    @Test
    void permittedNumberOfCallsInHalfOpenStateIsBetween1And65535() {
        rejects(() -> CircuitBreakerConfig.builder().permittedNumberOfCallsInHalfOpenState(0), "permittedNumberOfCallsInHalfOpenState", "between 1 and 65535");
        rejects(() -> CircuitBreakerConfig.builder().permittedNumberOfCallsInHalfOpenState(65_536), "permittedNumberOfCallsInHalfOpenState", "between 1 and 65535");
    }

    @Test
    void maxWaitDurationInHalfOpenStateIsZeroOrPositive() {
        rejects(() -> CircuitBreakerConfig.builder().maxWaitDurationInHalfOpenState(Duration.ofNanos(-1)), "maxWaitDurationInHalfOpenState", "zero or a positive duration");
    }

    @Test
    void automaticTransitionFromOpenToHalfOpenEnabledIsStored() {
        assertThat(CircuitBreakerConfig.builder().automaticTransitionFromOpenToHalfOpenEnabled(true).build()
                .automaticTransitionFromOpenToHalfOpenEnabled()).isTrue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void recordExceptionsRejectsNull() {
        rejects(() -> CircuitBreakerConfig.builder().recordExceptions((Class<? extends Throwable>[]) null), "recordExceptions", "not null");
        rejects(() -> CircuitBreakerConfig.builder().recordExceptions(IOException.class, null), "recordExceptions", "without null");
    }

    @Test
    @SuppressWarnings("unchecked")
    void ignoreExceptionsRejectsNull() {
        rejects(() -> CircuitBreakerConfig.builder().ignoreExceptions((Class<? extends Throwable>[]) null), "ignoreExceptions", "not null");
    }

    @Test
    void predicatesRejectNull() {
        rejects(() -> CircuitBreakerConfig.builder().recordException(null), "recordException", "not null");
        rejects(() -> CircuitBreakerConfig.builder().ignoreException(null), "ignoreException", "not null");
        rejects(() -> CircuitBreakerConfig.builder().recordResult(null), "recordResult", "not null");
    }
}

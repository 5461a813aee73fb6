package dev.resilience.retry;

import dev.resilience.ResilienceException;
import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a retry leaves alone follows {@link ResilienceException#isRejection()}, not a list of the engine's own
 * classes: any policy's rejection (an application's too) ends the retry unless its kind is opted in, and whatever is
 * not a rejection (a timeout, an exhausted retry) is retried like any failure.
 */
class RetryRejectionKindTest {

    /** An application's own rejection: a quota that refuses calls before they run. */
    static class QuotaExhaustedException extends ResilienceException {
        QuotaExhaustedException(String instanceName) {
            super("quota", instanceName, "quota '" + instanceName + "' is exhausted", -1);
        }
    }

    /** A subclass of a rejection kind. */
    static final class DailyQuotaExhaustedException extends QuotaExhaustedException {
        DailyQuotaExhaustedException(String instanceName) {
            super(instanceName);
        }
    }

    /** An application's exception that ran its call: not a rejection. */
    static final class QuotaOverdrawnException extends ResilienceException {
        QuotaOverdrawnException(String instanceName) {
            super("quota", instanceName, "quota '" + instanceName + "' overdrawn", -1);
        }

        @Override
        public boolean isRejection() {
            return false;
        }
    }

    private final ManualClock clock = new ManualClock();

    @Test
    void anApplicationsRejectionEndsTheRetryAtOnce() {
        Retry retry = Retry.of("quota", RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofSeconds(1)).build(),
                clock);
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> retry.call(() -> {
            attempts.incrementAndGet();
            throw new QuotaExhaustedException("daily");
        })).isInstanceOf(QuotaExhaustedException.class);

        assertThat(attempts).hasValue(1);
        assertThat(clock.nanoTime()).isZero();
    }

    @Test
    void anApplicationsRejectionKindCanBeOptedIn() {
        RetryConfig config = RetryConfig.builder().retryRejections(QuotaExhaustedException.class).build();

        assertThat(config.isRetryable(new QuotaExhaustedException("daily"))).isTrue();
        assertThat(config.isRetryable(new DailyQuotaExhaustedException("daily"))).isTrue();
        assertThat(config.retryRejections()).containsExactly(QuotaExhaustedException.class);
    }

    @Test
    void aResilienceExceptionThatIsNotARejectionIsRetriedLikeAnyFailure() {
        assertThat(RetryConfig.defaults().isRetryable(new QuotaOverdrawnException("daily"))).isTrue();
        assertThat(RetryConfig.defaults().isRetryable(new MaxRetriesExceededException("inner", 3, "last"))).isTrue();
    }

    @Test
    void retryRejectionsRefusesAKindWhoseExceptionsAreNotRejections() {
        assertThatThrownBy(() -> RetryConfig.builder().retryRejections(QuotaOverdrawnException.class))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("retryRejections")
                .hasMessageContaining(QuotaOverdrawnException.class.getName())
                .hasMessageContaining("isRejection()");
        assertThatThrownBy(() -> RetryConfig.builder().retryRejections(MaxRetriesExceededException.class))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("retryRejections");
    }

    @Test
    void aRejectionKindNamedInRetryExceptionsIsOptedIn() {
        RetryConfig config = RetryConfig.builder().retryExceptions(QuotaExhaustedException.class).build();

        assertThat(config.isRetryable(new DailyQuotaExhaustedException("daily"))).isTrue();
    }
}

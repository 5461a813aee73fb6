package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.ResilienceRegistries;

import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.core.Clock;
import dev.resilience.core.ManualClock;
import dev.resilience.retry.RetryConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code resilience.retry.*.retry-rejections}. */
class RetryRejectionsPropertyTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withBean(Clock.class, ManualClock::new);

    private static final CallNotPermittedException OPEN = new CallNotPermittedException("cb", CircuitBreaker.State.OPEN, 1);

    @Test
    void byDefaultARetryDoesNotRetryRejections() {
        runner.run(context -> {
            RetryConfig config = context.getBean(ResilienceRegistries.class).retries().get("inventory").config();
            assertThat(config.retryRejections()).isEmpty();
            assertThat(config.isRetryable(OPEN)).isFalse();
        });
    }

    @Test
    void retryRejectionsOptsTheNamedKindsIn() {
        runner.withPropertyValues("resilience.retry.configs.default.retry-rejections=dev.resilience.circuitbreaker.CallNotPermittedException")
                .run(context -> {
                    RetryConfig config = context.getBean(ResilienceRegistries.class).retries().get("inventory").config();
                    assertThat(config.retryRejections()).containsExactly(CallNotPermittedException.class);
                    assertThat(config.isRetryable(OPEN)).isTrue();
                    assertThat(config.isRetryable(new BulkheadFullException("bh", "full"))).isFalse();
                });
    }

    @Test
    void aClassThatIsNotARejectionFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("resilience.retry.instances.inventory.retry-rejections=dev.resilience.timeout.TimeoutExceededException")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new ResilienceFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("resilience.retry.instances.inventory.retry-rejections")
                            .contains("dev.resilience.circuitbreaker.CallNotPermittedException");
                });
    }
}

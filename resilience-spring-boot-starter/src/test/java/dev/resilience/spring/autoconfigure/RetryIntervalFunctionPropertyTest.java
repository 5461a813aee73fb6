package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.ResilienceRegistries;

import dev.resilience.core.Clock;
import dev.resilience.core.ManualClock;
import dev.resilience.retry.IntervalBiFunction;
import dev.resilience.retry.RetryConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code resilience.retry.*.interval-function} and {@code resilience.retry.*.fail-after-max-attempts}. */
class RetryIntervalFunctionPropertyTest {

    private static final IntervalBiFunction RETRY_AFTER = (attempt, error, result) -> Duration.ofSeconds(attempt);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withBean(Clock.class, ManualClock::new)
            .withBean("retryAfter", IntervalBiFunction.class, () -> RETRY_AFTER)
            .withBean("notAnIntervalFunction", String.class, () -> "oops");

    private static RetryConfig retryConfig(org.springframework.context.ApplicationContext context, String name) {
        return context.getBean(ResilienceRegistries.class).retries().get(name).config();
    }

    @Test
    void byDefaultThereIsNoIntervalFunctionAndTheLastResultIsReturned() {
        runner.run(context -> {
            RetryConfig config = retryConfig(context, "inventory");
            assertThat(config.intervalFunction()).isEmpty();
            assertThat(config.failAfterMaxAttempts()).isFalse();
        });
    }

    @Test
    void theIntervalFunctionIsTheBeanNamed() {
        runner.withPropertyValues("resilience.retry.instances.inventory.interval-function=retryAfter")
                .run(context -> assertThat(retryConfig(context, "inventory").intervalFunction()).containsSame(RETRY_AFTER));
    }

    @Test
    void anInstanceInheritsTheIntervalFunctionOfItsBaseConfig() {
        runner.withPropertyValues("resilience.retry.configs.partner.interval-function=retryAfter",
                        "resilience.retry.instances.inventory.base-config=partner")
                .run(context -> assertThat(retryConfig(context, "inventory").intervalFunction()).containsSame(RETRY_AFTER));
    }

    @Test
    void anUnknownBeanNameFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("resilience.retry.instances.inventory.interval-function=noSuchBean")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new ResilienceFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("resilience.retry.instances.inventory.interval-function")
                            .contains("noSuchBean");
                });
    }

    @Test
    void aBeanOfTheWrongTypeFailsStartUpNamingThePropertyAndTheType() {
        runner.withPropertyValues("resilience.retry.configs.default.interval-function=notAnIntervalFunction")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new ResilienceFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("resilience.retry.configs.default.interval-function")
                            .contains("notAnIntervalFunction").contains(IntervalBiFunction.class.getName())
                            .contains("java.lang.String");
                });
    }

    @Test
    void failAfterMaxAttemptsIsBound() {
        runner.withPropertyValues("resilience.retry.instances.inventory.fail-after-max-attempts=true")
                .run(context -> {
                    assertThat(retryConfig(context, "inventory").failAfterMaxAttempts()).isTrue();
                    assertThat(retryConfig(context, "other").failAfterMaxAttempts()).isFalse();
                });
    }
}

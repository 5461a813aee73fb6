package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.ResilienceRegistries;

import dev.resilience.core.Clock;
import dev.resilience.core.ManualClock;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryBudgetConfig;
import dev.resilience.retry.RetryConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code resilience.retry.*.budget.*} and {@code max-duration}. */
class RetryBudgetPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withBean(Clock.class, ManualClock::new);

    @Test
    void budgetAndMaxDurationBindFromConfigsAndInstances() {
        runner.withPropertyValues(
                        "resilience.retry.configs.downstream.budget.enabled=true",
                        "resilience.retry.configs.downstream.budget.ratio=0.5",
                        "resilience.retry.configs.downstream.budget.window=5s",
                        "resilience.retry.configs.downstream.budget.min-retries-per-second=2",
                        "resilience.retry.instances.inventory.base-config=downstream",
                        "resilience.retry.instances.inventory.budget.group=stock",
                        "resilience.retry.instances.inventory.max-duration=3s")
                .run(context -> {
                    RetryConfig config = context.getBean(ResilienceRegistries.class).retries().get("inventory").config();
                    assertThat(config.budget()).contains(new RetryBudgetConfig(0.5, Duration.ofSeconds(5), 2, "stock"));
                    assertThat(config.maxDuration()).contains(Duration.ofSeconds(3));
                });
    }

    @Test
    void budgetSettingsWithoutBudgetEnabledFailStartUpNamingTheSettingAndBudgetEnabled() {
        runner.withPropertyValues("resilience.retry.instances.inventory.budget.ratio=0.5").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new ResilienceFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("resilience.retry.instances.inventory.budget.ratio")
                    .contains("budget.enabled");
        });
    }

    @Test
    void budgetSettingsInASharedConfigWithoutBudgetEnabledFailStartUp() {
        runner.withPropertyValues("resilience.retry.configs.default.budget.group=stock").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new ResilienceFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("resilience.retry.configs.default.budget.group")
                    .contains("budget.enabled");
        });
    }

    @Test
    void sharedBudgetSettingsMarkedDisabledApplyToTheInstancesThatEnableTheBudget() {
        runner.withPropertyValues(
                        "resilience.retry.configs.default.budget.enabled=false",
                        "resilience.retry.configs.default.budget.ratio=0.5",
                        "resilience.retry.instances.enabled.budget.enabled=true",
                        "resilience.retry.instances.plain.max-attempts=2")
                .run(context -> {
                    ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
                    assertThat(registries.retries().get("enabled").config().budget()).map(RetryBudgetConfig::ratio).contains(0.5);
                    assertThat(registries.retries().get("plain").config().budget()).isEmpty();
                    assertThat(registries.retries().get("plain").metrics().budgetRemaining()).isEqualTo(-1);
                });
    }

    @Test
    void budgetEnabledInheritedFromTheBaseConfigCoversAnInstancesOwnBudgetSettings() {
        runner.withPropertyValues(
                        "resilience.retry.configs.downstream.budget.enabled=true",
                        "resilience.retry.instances.inventory.base-config=downstream",
                        "resilience.retry.instances.inventory.budget.ratio=0.3")
                .run(context -> {
                    RetryConfig config = context.getBean(ResilienceRegistries.class).retries().get("inventory").config();
                    assertThat(config.budget()).map(RetryBudgetConfig::ratio).contains(0.3);
                });
    }

    @Test
    void instancesNamingTheSameGroupShareOneBudget() {
        runner.withPropertyValues(
                        "resilience.retry.configs.default.wait-duration=0s",
                        "resilience.retry.configs.default.budget.enabled=true",
                        "resilience.retry.configs.default.budget.ratio=0",
                        "resilience.retry.configs.default.budget.min-retries-per-second=0.3",
                        "resilience.retry.configs.default.budget.group=stock",
                        "resilience.retry.instances.reserve.max-attempts=2",
                        "resilience.retry.instances.release.max-attempts=2")
                .run(context -> {
                    ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
                    Retry reserve = registries.retries().get("reserve");
                    Retry release = registries.retries().get("release");
                    assertThat(release.metrics().budgetRemaining()).isEqualTo(3); // floor(0.3 * 10)
                    assertThatThrownBy(() -> reserve.call(() -> {
                        throw new IOException("down");
                    })).isInstanceOf(IOException.class);
                    assertThat(release.metrics().budgetRemaining()).isEqualTo(2);
                    // An instance created later from the default config joins the same group.
                    assertThat(registries.retries().get("other").metrics().budgetRemaining()).isEqualTo(2);
                });
    }

    @Test
    void aWindowThatIsNotWholeSecondsFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("resilience.retry.instances.inventory.budget.window=1500ms").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new ResilienceFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("resilience.retry.instances.inventory.budget.window")
                    .contains("a whole number of seconds from 1s to 1h");
        });
    }

    @Test
    void aNonPositiveMaxDurationFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("resilience.retry.configs.default.max-duration=0s").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new ResilienceFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("resilience.retry.configs.default.max-duration");
        });
    }

    @Test
    void membersOfAGroupWithDifferentSettingsFailStartUp() {
        runner.withPropertyValues(
                        "resilience.retry.instances.a.budget.enabled=true",
                        "resilience.retry.instances.a.budget.group=stock",
                        "resilience.retry.instances.b.budget.enabled=true",
                        "resilience.retry.instances.b.budget.group=stock",
                        "resilience.retry.instances.b.budget.ratio=0.9")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new ResilienceFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("Retry 'b' joins retry budget group 'stock'");
                    assertThat(analysis.getAction()).contains("budget.ratio");
                });
    }
}

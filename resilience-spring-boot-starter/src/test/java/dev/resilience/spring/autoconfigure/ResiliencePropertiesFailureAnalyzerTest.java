package dev.resilience.spring.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the binder refuses under resilience.* is reported naming the property, what it takes, and what was meant. */
@ExtendWith(OutputCaptureExtension.class)
class ResiliencePropertiesFailureAnalyzerTest {

    private static FailureAnalysis analyze(String... properties) {
        return StartupFailureAnalyses.analyze(new ResiliencePropertiesFailureAnalyzer(), properties);
    }

    @Test
    void aMisspelledSettingNamesThePropertyItMostLikelyMeantAndTheKeysAllowedThere() {
        FailureAnalysis analysis = analyze("resilience.circuitbreaker.instances.inventory.failur-rate-threshold=30");

        assertThat(analysis.getDescription()).startsWith("Unknown property 'resilience.circuitbreaker.instances.inventory.failur-rate-threshold' (from test)")
                .endsWith(": did you mean 'resilience.circuitbreaker.instances.inventory.failure-rate-threshold'?");
        assertThat(analysis.getAction()).contains("The properties of 'resilience.circuitbreaker.instances.inventory' are ")
                .contains("failure-rate-threshold, ").contains("sliding-window-size");
    }

    @Test
    void aMisspelledNestedSettingIsFollowedThroughItsParents() {
        FailureAnalysis analysis = analyze("resilience.retry.configs.default.budget.ration=0.2");

        assertThat(analysis.getDescription()).contains("did you mean 'resilience.retry.configs.default.budget.ratio'?");
    }

    @Test
    void aKeyNothingResemblesIsReportedWithTheKeysAllowedThere() {
        FailureAnalysis analysis = analyze("resilience.shutdown.whenever=5s");

        assertThat(analysis.getDescription()).isEqualTo("Unknown property 'resilience.shutdown.whenever' (from test).");
        assertThat(analysis.getAction()).contains("The properties of 'resilience.shutdown' are timeout.");
    }

    @Test
    void aWholeNumberPropertyGivenTextSaysItTakesAWholeNumber() {
        FailureAnalysis analysis = analyze("resilience.circuitbreaker.instances.inventory.minimum-number-of-calls=abc");

        assertThat(analysis.getDescription()).isEqualTo("Invalid value 'abc' for property "
                + "'resilience.circuitbreaker.instances.inventory.minimum-number-of-calls' (from test): it must be a whole number.");
        assertThat(analysis.getAction()).contains("'resilience.circuitbreaker.instances.inventory.minimum-number-of-calls'");
    }

    @Test
    void aDurationPropertyGivenTextSaysWhatADurationLooksLike() {
        assertThat(analyze("resilience.retry.instances.orders.wait-duration=soon").getDescription())
                .isEqualTo("Invalid value 'soon' for property 'resilience.retry.instances.orders.wait-duration' (from test): it must be "
                        + "a duration such as 500ms, 10s or 1m.");
    }

    @Test
    void aBooleanPropertyGivenTextSaysTrueOrFalse() {
        assertThat(analyze("resilience.circuitbreaker.instances.inventory.automatic-transition-from-open-to-half-open-enabled=perhaps")
                .getDescription()).endsWith("it must be true or false.");
    }

    @Test
    void anEnumPropertyGivenAnUnknownValueListsTheValuesAsDeclared() {
        assertThat(analyze("resilience.circuitbreaker.instances.inventory.sliding-window-type=rolling").getDescription())
                .endsWith("it must be one of [COUNT_BASED, TIME_BASED].");
    }

    @Test
    void aBindingFailureOutsideResilienceIsLeftToSpringBoot() {
        assertThat(analyze("resilience.circuitbreaker.instances.inventory.sliding-window-size=10",
                "spring.lifecycle.timeout-per-shutdown-phase=never")).isNull();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ResilienceAutoConfiguration.class)
    static class App {
    }

    @Test
    void anApplicationPrintsOurReportRatherThanTheBindersOwn(CapturedOutput output) {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);

        assertThatThrownBy(() -> application.run("--resilience.circuitbreaker.instances.inventory.failur-rate-threshold=30"))
                .isInstanceOf(RuntimeException.class);

        assertThat(output.getOut() + output.getErr())
                .contains("did you mean 'resilience.circuitbreaker.instances.inventory.failure-rate-threshold'?")
                .doesNotContain("Bindable@");
    }
}

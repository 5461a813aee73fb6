package dev.resilience.spring.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Starts the auto-configuration with some properties, expects start-up to fail, and analyses the failure. */
final class StartupFailureAnalyses {

    private static final ApplicationContextRunner RUNNER = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

    private StartupFailureAnalyses() {
    }

    /** @return what {@link ResilienceFailureAnalyzer} reports, which must be something */
    static FailureAnalysis analyze(String... properties) {
        FailureAnalysis analysis = analyze(new ResilienceFailureAnalyzer(), properties);
        assertThat(analysis).as("a failure analysis").isNotNull();
        return analysis;
    }

    /** @return what {@code analyzer} reports: null where it leaves the failure to others */
    static FailureAnalysis analyze(FailureAnalyzer analyzer, String... properties) {
        FailureAnalysis[] result = new FailureAnalysis[1];
        RUNNER.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            result[0] = analyzer.analyze(context.getStartupFailure());
        });
        return result[0];
    }
}

package dev.resilience.test.junit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.List;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs a fixture class (a test class that exists to be run by a test) on the Jupiter engine with
 * {@link EngineTestKit}. Fixtures carry {@code @EnabledIf("dev.resilience.test.junit.KitRun#requested")}, so that a
 * run that finds them by scanning (an IDE running the package) skips them instead of failing on purpose.
 */
final class KitRun {

    private static final String FIXTURES = "dev.resilience.test.junit.fixtures";

    private KitRun() {
    }

    static boolean requested(ExtensionContext context) {
        return context.getConfigurationParameter(FIXTURES).isPresent();
    }

    static EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(fixture))
                .configurationParameter(FIXTURES, "true")
                .execute();
    }

    /** @return each failed test or container as {@code name: message}, to show in an assertion's failure */
    static List<String> failures(EngineExecutionResults results) {
        return results.allEvents().failed().stream()
                .map(KitRun::describe)
                .toList();
    }

    private static String describe(Event event) {
        Throwable failure = event.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                .orElse(null);
        return event.getTestDescriptor().getDisplayName() + ": " + failure;
    }
}

package dev.resilience.test.junit;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.core.ManualClock;
import dev.resilience.core.Registry;
import dev.resilience.retry.RetryConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

/** What the extension cannot give fails the test with a message saying what it can. */
class ParameterErrorsTest {

    @Test
    void aRegistryWhoseTypeArgumentsMatchNoPolicyKindFailsTheTestNamingWhatTheExtensionOffers() {
        EngineExecutionResults results = KitRun.run(AsksForAMismatchedRegistry.class);

        results.testEvents().assertThatEvents().haveExactly(1, event(test("asks"),
                finishedWithFailure(instanceOf(ParameterResolutionException.class), message(m -> m.contains(
                        "Registry<dev.resilience.circuitbreaker.CircuitBreaker, dev.resilience.retry.RetryConfig>")
                        && m.contains("offers a ManualClock (or Clock), TestRegistries, RecordedEvents, or a Registry")))));
    }

    @Test
    void aConstructorParameterUnderAPerClassLifecycleFailsSayingToTakeItPerTest() {
        EngineExecutionResults results = KitRun.run(PerClassConstructor.class);

        results.containerEvents().assertThatEvents().haveExactly(1, event(container(PerClassConstructor.class),
                finishedWithFailure(instanceOf(ParameterResolutionException.class), message(m -> m.contains(
                        "Take them as test-method parameters or @InjectResilience fields")))));
    }

    @Test
    void aStaticInjectResilienceFieldFailsTheTestSayingItsValueIsNewForEachTest() {
        EngineExecutionResults results = KitRun.run(StaticField.class);

        results.testEvents().assertThatEvents().haveExactly(1, event(test("neverRuns"),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(
                        "@InjectResilience field 'clock' of " + StaticField.class.getName()
                                + " must be neither static nor final: its value is new for each test"))));
    }

    @ResilienceCoreTest
    @EnabledIf("dev.resilience.test.junit.KitRun#requested")
    static class StaticField {

        @InjectResilience
        static ManualClock clock;

        @Test
        void neverRuns() {
        }
    }

    @ResilienceCoreTest
    @EnabledIf("dev.resilience.test.junit.KitRun#requested")
    static class AsksForAMismatchedRegistry {

        @Test
        void asks(Registry<CircuitBreaker, RetryConfig> mismatched) {
        }
    }

    @ResilienceCoreTest
    @EnabledIf("dev.resilience.test.junit.KitRun#requested")
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClassConstructor {

        PerClassConstructor(ManualClock clock) {
        }

        @Test
        void neverRuns() {
        }
    }
}

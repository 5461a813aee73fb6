package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.ResilienceRegistries;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Configured instances that nothing uses are reported at start-up, with the name probably meant. */
@ExtendWith(OutputCaptureExtension.class)
class UnusedInstanceWarningTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withBean(Client.class);

    @Test
    void aConfiguredInstanceThatOnlyDiffersInCaseFromAnAnnotatedNameIsReportedWithTheNameMeant(CapturedOutput output) {
        // What RESILIENCE_CIRCUITBREAKER_INSTANCES_MYSERVICE_FAILURERATETHRESHOLD=10 binds to.
        runner.withPropertyValues("resilience.circuitbreaker.instances.myservice.failure-rate-threshold=10").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("WARN").contains("resilience.circuitbreaker.instances.myservice")
                    .contains("'myService'");
        });
    }

    @Test
    void aConfiguredInstanceNothingUsesIsReported(CapturedOutput output) {
        runner.withPropertyValues("resilience.retry.instances.legacy.max-attempts=2").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("WARN").contains("resilience.retry.instances.legacy");
            assertThat(context.getBean(ResilienceRegistries.class).retries().find("legacy")).isPresent();
        });
    }

    @Test
    void configuredInstancesUsedByAnnotationsOrCreatedByCodeAreNotReported(CapturedOutput output) {
        runner.withPropertyValues("resilience.circuitbreaker.instances.myService.failure-rate-threshold=10",
                        "resilience.retry.instances.pricing.max-attempts=2",
                        "resilience.bulkhead.instances.byCode.max-concurrent-calls=2")
                .withBean(CodeUser.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output).doesNotContain("myService").doesNotContain("pricing").doesNotContain("byCode");
                });
    }

    /** Uses the instances {@code myService} and {@code pricing} through annotations. */
    public static class Client {

        @CircuitBreaker(name = "myService")
        public String call() {
            return "ok";
        }

        @Retry(name = "pricing")
        public String price() {
            return "1";
        }
    }

    /** Creates the instance {@code byCode} without an annotation. */
    static class CodeUser {
        CodeUser(ResilienceRegistries registries) {
            registries.bulkheads().get("byCode");
        }
    }
}

package dev.resilience.spring.migration;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What each {@code resilience4j.*} key becomes, on an environment without a running application. */
@ExtendWith(OutputCaptureExtension.class)
class Resilience4jPropertiesPostProcessorTest {

    private final Resilience4jPropertiesPostProcessor postProcessor =
            new Resilience4jPropertiesPostProcessor(supplier -> LogFactory.getLog(Resilience4jPropertiesPostProcessor.class));

    private static StandardEnvironment environment(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("application", map));
        ConfigurationPropertySources.attach(environment);
        return environment;
    }

    private StandardEnvironment processed(Object... keysAndValues) {
        StandardEnvironment environment = environment(keysAndValues);
        postProcessor.postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

    private StandardEnvironment read(Object... keysAndValues) {
        Object[] all = new Object[keysAndValues.length + 2];
        all[0] = Resilience4jPropertiesPostProcessor.READ_PROPERTY;
        all[1] = "true";
        System.arraycopy(keysAndValues, 0, all, 2, keysAndValues.length);
        return processed(all);
    }

    @Test
    void camelKebabAndSnakeCaseKeysAreReadUnderTheirKebabCaseNames() {
        StandardEnvironment environment = read(
                "resilience4j.circuitbreaker.instances.inventory.slidingWindowSize", 10,
                "resilience4j.circuitbreaker.instances.inventory.minimum-number-of-calls", 5,
                "resilience4j.circuitbreaker.instances.inventory.failure_rate_threshold", 25);
        assertThat(environment.getProperty("resilience.circuitbreaker.instances.inventory.sliding-window-size")).isEqualTo("10");
        assertThat(environment.getProperty("resilience.circuitbreaker.instances.inventory.minimum-number-of-calls")).isEqualTo("5");
        assertThat(environment.getProperty("resilience.circuitbreaker.instances.inventory.failure-rate-threshold")).isEqualTo("25");
    }

    @Test
    void environmentVariablesAreReadToo() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
                "RESILIENCE4J_BULKHEAD_INSTANCES_ORDERS_MAXCONCURRENTCALLS", "7",
                "RESILIENCE_MIGRATION_READRESILIENCE4JPROPERTIES", "true")));
        ConfigurationPropertySources.attach(environment);
        postProcessor.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("resilience.bulkhead.instances.orders.max-concurrent-calls")).isEqualTo("7");
    }

    @Test
    void timelimiterIsReadAsTimeoutAndBackendsAsInstances() {
        StandardEnvironment environment = read(
                "resilience4j.timelimiter.configs.default.timeoutDuration", "2s",
                "resilience4j.timelimiter.backends.slow.cancelRunningFuture", false);
        assertThat(environment.getProperty("resilience.timeout.configs.default.timeout-duration")).isEqualTo("2s");
        assertThat(environment.getProperty("resilience.timeout.instances.slow.cancel-running-future")).isEqualTo("false");
    }

    @Test
    void listsAreReadElementByElement() {
        StandardEnvironment environment = read(
                "resilience4j.retry.configs.default.retryExceptions[0]", "java.io.IOException",
                "resilience4j.retry.configs.default.retryExceptions[1]", "java.util.concurrent.TimeoutException");
        assertThat(environment.getProperty("resilience.retry.configs.default.retry-exceptions[0]")).isEqualTo("java.io.IOException");
        assertThat(environment.getProperty("resilience.retry.configs.default.retry-exceptions[1]"))
                .isEqualTo("java.util.concurrent.TimeoutException");
    }

    @Test
    void aCommaSeparatedListIsReadAsAList() {
        StandardEnvironment environment = read(
                "resilience4j.circuitbreaker.configs.default.recordExceptions", "java.io.IOException, java.lang.IllegalStateException");
        assertThat(environment.getProperty("resilience.circuitbreaker.configs.default.record-exceptions[0]"))
                .isEqualTo("java.io.IOException");
        assertThat(environment.getProperty("resilience.circuitbreaker.configs.default.record-exceptions[1]"))
                .isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void exceptionListsNameResilience4jsExceptionsByOursAndOurTimeoutNextToTheirs(CapturedOutput output) {
        StandardEnvironment environment = read(
                "resilience4j.retry.configs.default.ignoreExceptions[0]", "io.github.resilience4j.circuitbreaker.CallNotPermittedException",
                "resilience4j.retry.configs.default.ignoreExceptions[1]", "io.github.resilience4j.bulkhead.BulkheadFullException",
                "resilience4j.circuitbreaker.configs.default.recordExceptions[0]", "java.util.concurrent.TimeoutException",
                "resilience4j.circuitbreaker.configs.default.recordExceptions[1]", "java.io.IOException");
        assertThat(environment.getProperty("resilience.retry.configs.default.ignore-exceptions[0]"))
                .isEqualTo("dev.resilience.circuitbreaker.CallNotPermittedException");
        assertThat(environment.getProperty("resilience.retry.configs.default.ignore-exceptions[1]"))
                .isEqualTo("dev.resilience.bulkhead.BulkheadFullException");
        assertThat(environment.getProperty("resilience.circuitbreaker.configs.default.record-exceptions[0]"))
                .isEqualTo("java.util.concurrent.TimeoutException");
        assertThat(environment.getProperty("resilience.circuitbreaker.configs.default.record-exceptions[1]"))
                .isEqualTo("dev.resilience.timeout.TimeoutExceededException");
        assertThat(environment.getProperty("resilience.circuitbreaker.configs.default.record-exceptions[2]"))
                .isEqualTo("java.io.IOException");
        assertThat(output).contains("resilience4j.circuitbreaker.configs.default.recordExceptions -> "
                + "resilience.circuitbreaker.configs.default.record-exceptions (as java.util.concurrent.TimeoutException, "
                + "dev.resilience.timeout.TimeoutExceededException, java.io.IOException)");
    }

    @Test
    void instanceNamesKeepTheirCaseAndDots() {
        StandardEnvironment environment = read(
                "resilience4j.ratelimiter.instances.partnerApi.limitForPeriod", 3,
                "resilience4j.ratelimiter.instances[partner.api].limitForPeriod", 4);
        assertThat(environment.getProperty("resilience.ratelimiter.instances.partnerApi.limit-for-period")).isEqualTo("3");
        assertThat(environment.getProperty("resilience.ratelimiter.instances[partner.api].limit-for-period")).isEqualTo("4");
    }

    @Test
    void nothingIsReadUnlessAskedFor() {
        StandardEnvironment environment = processed("resilience4j.bulkhead.instances.orders.maxConcurrentCalls", 7);
        assertThat(environment.getProperty("resilience.bulkhead.instances.orders.max-concurrent-calls")).isNull();
        assertThat(environment.getPropertySources().contains(Resilience4jPropertiesPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
    }

    @Test
    void aResiliencePropertyWinsOverItsTranslation() {
        StandardEnvironment environment = read(
                "resilience4j.bulkhead.instances.orders.maxConcurrentCalls", 7,
                "resilience4j.bulkhead.instances.orders.maxWaitDuration", "10ms",
                "resilience.bulkhead.instances.orders.max-concurrent-calls", 9);
        assertThat(environment.getProperty("resilience.bulkhead.instances.orders.max-concurrent-calls")).isEqualTo("9");
        assertThat(environment.getProperty("resilience.bulkhead.instances.orders.max-wait-duration")).isEqualTo("10ms");
    }

    @Test
    void exponentialBackoffSwitchedOnBecomesTheMultiplierAndItsMaximum() {
        StandardEnvironment environment = read(
                "resilience4j.retry.instances.a.waitDuration", "100ms",
                "resilience4j.retry.instances.a.enableExponentialBackoff", true,
                "resilience4j.retry.instances.a.exponentialBackoffMultiplier", 3,
                "resilience4j.retry.instances.a.exponentialMaxWaitDuration", "2s");
        assertThat(environment.getProperty("resilience.retry.instances.a.exponential-backoff-multiplier")).isEqualTo("3");
        assertThat(environment.getProperty("resilience.retry.instances.a.exponential-max-wait-duration")).isEqualTo("2s");
        assertThat(environment.getProperty("resilience.retry.instances.a.randomized-wait-factor")).isEqualTo("0");
    }

    @Test
    void exponentialBackoffSwitchedOnWithoutAMultiplierUsesResilience4jsDefaultOfOnePointFive() {
        StandardEnvironment environment = read("resilience4j.retry.instances.a.enableExponentialBackoff", true);
        assertThat(environment.getProperty("resilience.retry.instances.a.exponential-backoff-multiplier")).isEqualTo("1.5");
    }

    @Test
    void aMultiplierWithoutTheSwitchIsNotApplied() {
        StandardEnvironment environment = read(
                "resilience4j.retry.instances.a.exponentialBackoffMultiplier", 3,
                "resilience4j.retry.instances.a.exponentialMaxWaitDuration", "2s");
        assertThat(environment.getProperty("resilience.retry.instances.a.exponential-backoff-multiplier")).isEqualTo("1");
        assertThat(environment.getProperty("resilience.retry.instances.a.exponential-max-wait-duration")).isNull();
    }

    @Test
    void theSwitchIsTakenFromTheBaseConfigAsResilience4jMergesIt() {
        StandardEnvironment environment = read(
                "resilience4j.retry.configs.backoff.enableExponentialBackoff", true,
                "resilience4j.retry.configs.backoff.enableRandomizedWait", true,
                "resilience4j.retry.instances.a.baseConfig", "backoff",
                "resilience4j.retry.instances.a.exponentialBackoffMultiplier", 4);
        assertThat(environment.getProperty("resilience.retry.instances.a.exponential-backoff-multiplier")).isEqualTo("4");
        assertThat(environment.getProperty("resilience.retry.instances.a.randomized-wait-factor")).isEqualTo("0.5");
        assertThat(environment.getProperty("resilience.retry.configs.backoff.exponential-backoff-multiplier")).isEqualTo("1.5");
    }

    @Test
    void theBreakersExponentialOpenWaitBecomesTheOpenStateMultiplierAndMaximum() {
        StandardEnvironment environment = read(
                "resilience4j.circuitbreaker.configs.default.waitDurationInOpenState", "10s",
                "resilience4j.circuitbreaker.configs.default.enableExponentialBackoff", true,
                "resilience4j.circuitbreaker.configs.default.exponentialBackoffMultiplier", 2,
                "resilience4j.circuitbreaker.configs.default.exponentialMaxWaitDurationInOpenState", "5m");
        assertThat(environment.getProperty("resilience.circuitbreaker.configs.default.wait-duration-in-open-state-multiplier"))
                .isEqualTo("2");
        assertThat(environment.getProperty("resilience.circuitbreaker.configs.default.max-wait-duration-in-open-state"))
                .isEqualTo("5m");
    }

    @Test
    void keysWithoutEquivalentAreNotReadAndTheWarningSaysWhy(CapturedOutput output) {
        StandardEnvironment environment = read(
                "resilience4j.circuitbreaker.configs.default.registerHealthIndicator", true,
                "resilience4j.circuitbreaker.configs.default.writableStackTraceEnabled", true,
                "resilience4j.retry.instances.a.eventConsumerBufferSize", 10,
                "resilience4j.circuitbreaker.circuitBreakerAspectOrder", 1,
                "resilience4j.scheduled.executor.corePoolSize", 2,
                "resilience4j.bulkhead.instances.a.madeUp", 1);
        assertThat(environment.getPropertySources().contains(Resilience4jPropertiesPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
        assertThat(output).contains("WARN")
                .contains("resilience4j.circuitbreaker.configs.default.registerHealthIndicator: no equivalent, not read "
                        + "(no per-instance switch")
                .contains("resilience4j.circuitbreaker.configs.default.writableStackTraceEnabled: no equivalent, not read "
                        + "(rejections never fill in a stack trace")
                .contains("resilience4j.retry.instances.a.eventConsumerBufferSize: no equivalent, not read "
                        + "(no per-instance buffer: resilience.events.buffer-size")
                .contains("resilience4j.circuitbreaker.circuitBreakerAspectOrder: no equivalent, not read "
                        + "(no aspect order per kind: resilience.order")
                .contains("resilience4j.scheduled: no equivalent")
                .contains("resilience4j.bulkhead.instances.a.madeUp: no equivalent, not read (not a Resilience4j setting");
    }

    @Test
    void theWarningIsWrittenOncePerEnvironment(CapturedOutput output) {
        StandardEnvironment environment = environment("resilience4j.bulkhead.instances.orders.maxConcurrentCalls", 7);
        postProcessor.postProcessEnvironment(environment, new SpringApplication());
        postProcessor.postProcessEnvironment(environment, new SpringApplication());
        assertThat(output.toString().split("resilience4j.bulkhead.instances.orders.maxConcurrentCalls -> ", -1)).hasSize(2);
    }

    @Test
    void anEnvironmentWithoutResilience4jPropertiesIsLeftAloneAndNothingIsLogged(CapturedOutput output) {
        StandardEnvironment environment = read("resilience.bulkhead.instances.orders.max-concurrent-calls", 7);
        int sources = environment(Resilience4jPropertiesPostProcessor.READ_PROPERTY, "true",
                "resilience.bulkhead.instances.orders.max-concurrent-calls", 7).getPropertySources().size();
        assertThat(environment.getPropertySources().size()).isEqualTo(sources);
        assertThat(output).doesNotContain("Resilience4j");
    }

    @Test
    void everyTranslatedPropertyPointsAtTheLineItCameFrom() {
        Resilience4jTranslation translation = Resilience4jTranslation.of(environment(
                "resilience4j.bulkhead.instances.orders.maxConcurrentCalls", 7));
        assertThat(translation.properties()).containsOnlyKeys("resilience.bulkhead.instances.orders.max-concurrent-calls");
        assertThat(translation.renamed()).extracting(Resilience4jTranslation.Renamed::from)
                .isEqualTo(List.of("resilience4j.bulkhead.instances.orders.maxConcurrentCalls"));
        assertThat(translation.origins()).containsKey("resilience.bulkhead.instances.orders.max-concurrent-calls");
    }
}

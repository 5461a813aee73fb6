package dev.resilience.spring.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Each configuration mistake fails start-up with a failure analysis naming the full property and the allowed range. */
class StartupFailureAnalysisTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

    private static FailureAnalysis analyze(String... properties) {
        return StartupFailureAnalyses.analyze(properties);
    }

    @Test
    void failureRateThresholdOver100() {
        FailureAnalysis analysis = analyze("resilience.circuitbreaker.instances.inventory.failure-rate-threshold=150");
        assertThat(analysis.getDescription())
                .contains("resilience.circuitbreaker.instances.inventory.failure-rate-threshold")
                .contains("150").contains("100");
        assertThat(analysis.getAction()).contains("resilience.circuitbreaker.instances.inventory.failure-rate-threshold");
    }

    @Test
    void aDecimalSettingShowsAWholeNumberAsTheUserWroteIt() {
        assertThat(analyze("resilience.circuitbreaker.instances.inventory.failure-rate-threshold=150").getDescription())
                .startsWith("Invalid value '150' for property");
    }

    @Test
    void aRetryCapBelowTheWaitNamesBothProperties() {
        FailureAnalysis analysis = analyze("resilience.retry.instances.rt.wait-duration=10ms",
                "resilience.retry.instances.rt.exponential-max-wait-duration=1ms");
        assertThat(analysis.getDescription()).isEqualTo("Invalid value '1ms' for property "
                + "'resilience.retry.instances.rt.exponential-max-wait-duration': it must be at least "
                + "'resilience.retry.instances.rt.wait-duration' (10ms).");
        assertThat(analysis.getAction()).contains("resilience.retry.instances.rt.exponential-max-wait-duration");
    }

    @Test
    void aThreadPoolMaximumBelowTheCoreSizeNamesBothProperties() {
        assertThat(analyze("resilience.thread-pool-bulkhead.instances.pool.core-thread-pool-size=4",
                "resilience.thread-pool-bulkhead.instances.pool.max-thread-pool-size=2").getDescription())
                .isEqualTo("Invalid value '2' for property 'resilience.thread-pool-bulkhead.instances.pool.max-thread-pool-size': "
                        + "it must be at least 'resilience.thread-pool-bulkhead.instances.pool.core-thread-pool-size' (4).");
    }

    @Test
    void failureRateThresholdZero() {
        assertThat(analyze("resilience.circuitbreaker.instances.inventory.failure-rate-threshold=0").getDescription())
                .contains("resilience.circuitbreaker.instances.inventory.failure-rate-threshold").contains("greater than 0");
    }

    @Test
    void slowCallRateThresholdOver100() {
        assertThat(analyze("resilience.circuitbreaker.configs.default.slow-call-rate-threshold=101").getDescription())
                .contains("resilience.circuitbreaker.configs.default.slow-call-rate-threshold").contains("101");
    }

    @Test
    void slidingWindowSizeZero() {
        assertThat(analyze("resilience.circuitbreaker.instances.a.sliding-window-size=0").getDescription())
                .contains("resilience.circuitbreaker.instances.a.sliding-window-size").contains("'0'");
    }

    @Test
    void negativeWaitDurationInOpenState() {
        assertThat(analyze("resilience.circuitbreaker.instances.a.wait-duration-in-open-state=-1s").getDescription())
                .contains("resilience.circuitbreaker.instances.a.wait-duration-in-open-state").contains("positive");
    }

    @Test
    void negativeSubMillisecondDuration() {
        assertThat(analyze("resilience.bulkhead.instances.b.max-wait-duration=-1ns").getDescription())
                .contains("resilience.bulkhead.instances.b.max-wait-duration").contains("zero or a positive duration");
    }

    @Test
    void maxAttemptsZero() {
        assertThat(analyze("resilience.retry.instances.r.max-attempts=0").getDescription())
                .contains("resilience.retry.instances.r.max-attempts").contains("at least 1");
    }

    @Test
    void randomizedWaitFactorAboveOne() {
        assertThat(analyze("resilience.retry.configs.default.randomized-wait-factor=1.5").getDescription())
                .contains("resilience.retry.configs.default.randomized-wait-factor").contains("1.5");
    }

    @Test
    void maxConcurrentCallsNegative() {
        assertThat(analyze("resilience.bulkhead.instances.b.max-concurrent-calls=-3").getDescription())
                .contains("resilience.bulkhead.instances.b.max-concurrent-calls").contains("-3");
    }

    @Test
    void limitForPeriodZero() {
        assertThat(analyze("resilience.ratelimiter.instances.api.limit-for-period=0").getDescription())
                .contains("resilience.ratelimiter.instances.api.limit-for-period").contains("at least 1");
    }

    @Test
    void timeoutDurationZero() {
        assertThat(analyze("resilience.timeout.instances.t.timeout-duration=0s").getDescription())
                .contains("resilience.timeout.instances.t.timeout-duration").contains("positive");
    }

    @Test
    void threadPoolMaxBelowCore() {
        FailureAnalysis analysis = analyze("resilience.thread-pool-bulkhead.instances.p.core-thread-pool-size=4",
                "resilience.thread-pool-bulkhead.instances.p.max-thread-pool-size=2");
        assertThat(analysis.getDescription()).contains("resilience.thread-pool-bulkhead.instances.p.");
    }

    @Test
    void badValueInASharedConfigNamesTheSharedConfig() {
        assertThat(analyze("resilience.retry.configs.shared.max-attempts=0",
                "resilience.retry.instances.r.base-config=shared").getDescription())
                .contains("resilience.retry.configs.shared.max-attempts");
    }

    @Test
    void unknownBaseConfig() {
        FailureAnalysis analysis = analyze("resilience.circuitbreaker.configs.shared.sliding-window-size=10",
                "resilience.circuitbreaker.instances.a.base-config=missing");
        assertThat(analysis.getDescription())
                .contains("resilience.circuitbreaker.instances.a.base-config").contains("missing").contains("shared");
        assertThat(analysis.getAction()).contains("resilience.circuitbreaker.configs.missing");
    }

    @Test
    void cyclicBaseConfigs() {
        assertThat(analyze("resilience.retry.configs.a.base-config=b", "resilience.retry.configs.b.base-config=a").getDescription())
                .contains("cycle");
    }

    @Test
    void exceptionClassNotFound() {
        FailureAnalysis analysis = analyze("resilience.circuitbreaker.instances.a.record-exceptions=com.example.NoSuchException");
        assertThat(analysis.getDescription())
                .contains("resilience.circuitbreaker.instances.a.record-exceptions[0]").contains("com.example.NoSuchException");
    }

    @Test
    void classThatIsNotAnException() {
        assertThat(analyze("resilience.retry.instances.r.retry-exceptions=java.lang.String").getDescription())
                .contains("resilience.retry.instances.r.retry-exceptions[0]").contains("not a Throwable");
    }

    @Test
    void unknownKindInOrder() {
        FailureAnalysis analysis = analyze("resilience.order=retry,breaker,ratelimiter,timeout,bulkhead");
        assertThat(analysis.getDescription()).contains("resilience.order[1]").contains("breaker");
    }

    @Test
    void incompleteOrder() {
        assertThat(analyze("resilience.order=retry,circuitbreaker").getDescription()).contains("resilience.order");
    }

    @Test
    void aShutdownTimeoutAboveTheShutdownPhaseTimeout() {
        FailureAnalysis analysis = analyze("resilience.shutdown.timeout=40s");
        assertThat(analysis.getDescription())
                .contains("resilience.shutdown.timeout").contains("40s")
                .contains("spring.lifecycle.timeout-per-shutdown-phase").contains("30s");
        assertThat(analysis.getAction())
                .contains("resilience.shutdown.timeout").contains("spring.lifecycle.timeout-per-shutdown-phase");
    }

    @Test
    void aShutdownTimeoutEqualToTheShutdownPhaseTimeout() {
        assertThat(analyze("resilience.shutdown.timeout=10s", "spring.lifecycle.timeout-per-shutdown-phase=10s").getDescription())
                .contains("resilience.shutdown.timeout").contains("spring.lifecycle.timeout-per-shutdown-phase");
    }

    @Test
    void theDefaultShutdownTimeoutFitsTheDefaultShutdownPhaseTimeout() {
        runner.run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aShutdownPhaseTimeoutBelowTheDefaultShutdownTimeoutNamesBoth() {
        FailureAnalysis analysis = analyze("spring.lifecycle.timeout-per-shutdown-phase=10s");
        assertThat(analysis.getDescription())
                .contains("resilience.shutdown.timeout").contains("25s")
                .contains("spring.lifecycle.timeout-per-shutdown-phase").contains("10s");
    }

    @Test
    void minimumNumberOfCallsAboveACountBasedSlidingWindow() {
        FailureAnalysis analysis = analyze("resilience.circuitbreaker.configs.default.minimum-number-of-calls=20",
                "resilience.circuitbreaker.instances.a.sliding-window-size=10");
        assertThat(analysis.getDescription())
                .contains("resilience.circuitbreaker.configs.default.minimum-number-of-calls").contains("20")
                .contains("resilience.circuitbreaker.instances.a.sliding-window-size").contains("10");
    }

    @Test
    void minimumNumberOfCallsAboveTheDefaultSlidingWindowSize() {
        assertThat(analyze("resilience.circuitbreaker.instances.a.minimum-number-of-calls=150").getDescription())
                .contains("resilience.circuitbreaker.instances.a.minimum-number-of-calls").contains("150")
                .contains("sliding-window-size").contains("100");
    }

    @Test
    void aMinimumNumberOfCallsAboveATimeBasedWindowsSecondsIsFine() {
        runner.withPropertyValues("resilience.circuitbreaker.instances.a.sliding-window-type=TIME_BASED",
                        "resilience.circuitbreaker.instances.a.sliding-window-size=10",
                        "resilience.circuitbreaker.instances.a.minimum-number-of-calls=50")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aSmallerSlidingWindowWithTheDefaultMinimumIsFine() {
        runner.withPropertyValues("resilience.circuitbreaker.instances.a.sliding-window-size=10")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aConfiguredInstanceNameWithASlash() {
        FailureAnalysis analysis = analyze("resilience.bulkhead.instances.[orders/eu].max-concurrent-calls=3");
        assertThat(analysis.getDescription()).contains("resilience.bulkhead.instances.[orders/eu]").contains("/");
    }

    @Test
    void aCustomizersInvalidBuilderCallNamesTheInstanceAndTheCustomizer() {
        FailureAnalysis[] result = new FailureAnalysis[1];
        runner.withPropertyValues("resilience.circuitbreaker.instances.inventory.sliding-window-size=10")
                .withBean(CircuitBreakerConfigCustomizer.class, InvalidCustomizer::new)
                .run(context -> {
                    assertThat(context).hasFailed();
                    result[0] = new ResilienceFailureAnalyzer().analyze(context.getStartupFailure());
                });
        assertThat(result[0]).as("a failure analysis").isNotNull();
        assertThat(result[0].getDescription()).contains("'inventory'").contains(InvalidCustomizer.class.getName())
                .contains("failureRateThreshold").contains("150");
    }

    /** Sets a failure rate no breaker accepts. */
    static class InvalidCustomizer implements CircuitBreakerConfigCustomizer {
        @Override
        public void customize(String name, dev.resilience.circuitbreaker.CircuitBreakerConfig.Builder builder) {
            builder.failureRateThreshold(150);
        }
    }

    @Test
    void misspelledPropertyFailsInsteadOfBeingIgnored() {
        runner.withPropertyValues("resilience.circuitbreaker.instances.inventory.failure-rate-treshold=50").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("resilience.circuitbreaker.instances.inventory.failure-rate-treshold");
        });
    }
}

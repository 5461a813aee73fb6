package dev.resilience.spring.migration;

import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.ThreadPoolBulkheadConfig;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.retry.RetryConfig;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.timeout.TimeoutConfig;
import dev.resilience.timeout.TimeoutExceededException;
import io.github.robwin.exception.BusinessException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.HttpServerErrorException;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An application started on a copy of Resilience4j's own Spring Boot demo settings
 * ({@code migration/resilience4j-demo-application.yml}), as a team switching over would start theirs.
 */
@ExtendWith(OutputCaptureExtension.class)
class Resilience4jDemoPropertiesTest {

    private static ConfigurableApplicationContext start(String... arguments) {
        SpringApplication application = new SpringApplication(DemoApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        String[] all = new String[arguments.length + 1];
        all[0] = "--spring.config.location=classpath:migration/resilience4j-demo-application.yml";
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        return application.run(all);
    }

    @Test
    void withReadingOnTheDemosInstancesExistWithTheirSettings() {
        try (ConfigurableApplicationContext context = start("--resilience.migration.read-resilience4j-properties=true")) {
            ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);

            CircuitBreakerConfig backendA = registries.circuitBreakers().find("backendA").orElseThrow().config();
            assertThat(backendA.slidingWindowSize()).isEqualTo(10);
            assertThat(backendA.minimumNumberOfCalls()).isEqualTo(5);
            assertThat(backendA.permittedNumberOfCallsInHalfOpenState()).isEqualTo(3);
            assertThat(backendA.automaticTransitionFromOpenToHalfOpenEnabled()).isTrue();
            assertThat(backendA.waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(5));
            assertThat(backendA.failureRateThreshold()).isEqualTo(50f);
            // Resilience4j's time limiter throws TimeoutException; ours throws TimeoutExceededException: both are listed.
            assertThat(backendA.recordExceptions()).containsExactly(HttpServerErrorException.class, TimeoutException.class,
                    TimeoutExceededException.class, IOException.class);
            assertThat(backendA.ignoreExceptions()).containsExactly(BusinessException.class);
            CircuitBreakerConfig backendB = registries.circuitBreakers().find("backendB").orElseThrow().config();
            assertThat(backendB.minimumNumberOfCalls()).isEqualTo(10);
            assertThat(backendB.slidingWindowSize()).isEqualTo(10);

            RetryConfig retryA = registries.retries().find("backendA").orElseThrow().config();
            assertThat(retryA.maxAttempts()).isEqualTo(3);
            assertThat(retryA.waitDuration()).isEqualTo(Duration.ofMillis(100));
            assertThat(retryA.retryExceptions()).containsExactly(HttpServerErrorException.class, TimeoutException.class,
                    TimeoutExceededException.class, IOException.class);
            assertThat(retryA.ignoreExceptions()).containsExactly(BusinessException.class);
            assertThat(registries.retries().find("backendB")).isPresent();

            assertThat(registries.bulkheads().find("backendA").orElseThrow().config().maxConcurrentCalls()).isEqualTo(10);
            BulkheadConfig bulkheadB = registries.bulkheads().find("backendB").orElseThrow().config();
            assertThat(bulkheadB.maxConcurrentCalls()).isEqualTo(20);
            assertThat(bulkheadB.maxWaitDuration()).isEqualTo(Duration.ofMillis(10));

            ThreadPoolBulkheadConfig poolA = registries.threadPoolBulkheads().find("backendA").orElseThrow().config();
            assertThat(poolA.maxThreadPoolSize()).isEqualTo(4);
            assertThat(poolA.coreThreadPoolSize()).isEqualTo(2);
            assertThat(poolA.queueCapacity()).isEqualTo(2);
            ThreadPoolBulkheadConfig poolB = registries.threadPoolBulkheads().find("backendB").orElseThrow().config();
            assertThat(poolB.maxThreadPoolSize()).isEqualTo(1);
            assertThat(poolB.queueCapacity()).isEqualTo(1);

            RateLimiterConfig limiterA = registries.rateLimiters().find("backendA").orElseThrow().config();
            assertThat(limiterA.limitForPeriod()).isEqualTo(10);
            assertThat(limiterA.limitRefreshPeriod()).isEqualTo(Duration.ofSeconds(1));
            assertThat(limiterA.timeoutDuration()).isZero();
            RateLimiterConfig limiterB = registries.rateLimiters().find("backendB").orElseThrow().config();
            assertThat(limiterB.limitForPeriod()).isEqualTo(6);
            assertThat(limiterB.limitRefreshPeriod()).isEqualTo(Duration.ofMillis(500));
            assertThat(limiterB.timeoutDuration()).isEqualTo(Duration.ofSeconds(3));

            TimeoutConfig timeoutA = registries.timeouts().find("backendA").orElseThrow().config();
            assertThat(timeoutA.timeoutDuration()).isEqualTo(Duration.ofSeconds(2));
            assertThat(timeoutA.cancelRunningFuture()).isFalse();
            assertThat(registries.timeouts().find("backendB").orElseThrow().config().timeoutDuration())
                    .isEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void theWarningNamesEachKeyWithItsNewNameOrWhyItHasNone(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start("--resilience.migration.read-resilience4j-properties=true")) {
            assertThat(output).contains("WARN")
                    .contains("resilience4j.circuitbreaker.configs.default.slidingWindowSize -> "
                            + "resilience.circuitbreaker.configs.default.sliding-window-size")
                    .contains("resilience4j.circuitbreaker.instances.backendA.baseConfig -> "
                            + "resilience.circuitbreaker.instances.backendA.base-config")
                    .contains("resilience4j.thread-pool-bulkhead.configs.default.maxThreadPoolSize -> "
                            + "resilience.thread-pool-bulkhead.configs.default.max-thread-pool-size")
                    .contains("resilience4j.timelimiter.configs.default.timeoutDuration -> "
                            + "resilience.timeout.configs.default.timeout-duration")
                    .contains("resilience4j.circuitbreaker.configs.default.registerHealthIndicator: no equivalent")
                    .contains("resilience4j.ratelimiter.configs.default.eventConsumerBufferSize: no equivalent")
                    .contains("resilience4j.circuitbreaker.instances.backendB.recordFailurePredicate: no equivalent");
            // One warning for the whole environment, not one per key.
            assertThat(output.toString().split("Resilience4j settings \\(resilience4j\\.\\*\\)", -1)).hasSize(2);
        }
    }

    @Test
    void withoutReadingTheAppStartsOnItsDefaultsAndTheWarningSaysHowToReadThem(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start()) {
            ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
            assertThat(registries.circuitBreakers().find("backendA")).isEmpty();
            assertThat(registries.circuitBreakers().get("backendA").config().slidingWindowSize()).isEqualTo(100);
            assertThat(output).contains("resilience.migration.read-resilience4j-properties=true")
                    .contains("resilience4j.retry.configs.default.maxAttempts -> resilience.retry.configs.default.max-attempts");
        }
    }

    @Test
    void aResiliencePropertyWinsOverTheOneTranslatedToIt(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start("--resilience.migration.read-resilience4j-properties=true",
                "--resilience.circuitbreaker.configs.default.sliding-window-size=20")) {
            CircuitBreakerConfig backendA = context.getBean(ResilienceRegistries.class).circuitBreakers()
                    .find("backendA").orElseThrow().config();
            assertThat(backendA.slidingWindowSize()).isEqualTo(20);
            assertThat(backendA.minimumNumberOfCalls()).isEqualTo(5);
            assertThat(output).contains("resilience.circuitbreaker.configs.default.sliding-window-size is set too: it wins");
        }
    }

    @Test
    void aTranslatedValueOutOfRangeFailsStartUpNamingTheNewPropertyAsAnyOtherWould() {
        // Resilience4j builds a bulkhead that refuses every call for 0; here it is a configuration mistake.
        assertThatThrownBy(() -> start("--resilience.migration.read-resilience4j-properties=true",
                "--resilience4j.bulkhead.instances.backendB.maxConcurrentCalls=0").close())
                .hasStackTraceContaining("resilience.bulkhead.instances.backendB.max-concurrent-calls")
                .hasStackTraceContaining("'0'");
    }

    /** The demo application, reduced to the starter. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ResilienceAutoConfiguration.class)
    static class DemoApplication {
    }
}

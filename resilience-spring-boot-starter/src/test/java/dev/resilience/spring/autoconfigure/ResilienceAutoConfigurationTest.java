package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.ResilienceRegistries;

import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.Clock;
import dev.resilience.core.ManualClock;
import dev.resilience.core.Registry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ResilienceAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

    @Test
    void registersRegistriesClockAndInterception() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ResilienceRegistries.class);
            assertThat(context).hasSingleBean(Clock.class);
            assertThat(context).hasSingleBean(dev.resilience.spring.interceptor.ResilienceAnnotationBeanPostProcessor.class);
        });
    }

    @Test
    void anInstanceWithoutPropertiesGetsTheBuiltInDefaults() {
        runner.run(context -> {
            CircuitBreakerConfig config = context.getBean(ResilienceRegistries.class).circuitBreakers().get("anything").config();
            assertThat(config.slidingWindowSize()).isEqualTo(100);
            assertThat(config.minimumNumberOfCalls()).isEqualTo(100);
            assertThat(config.waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(60));
        });
    }

    @Test
    void configsDefaultAppliesToEveryInstance() {
        runner.withPropertyValues("resilience.circuitbreaker.configs.default.sliding-window-size=20")
                .run(context -> assertThat(context.getBean(ResilienceRegistries.class).circuitBreakers().get("x").config()
                        .slidingWindowSize()).isEqualTo(20));
    }

    @Test
    void anInstanceInheritsFromItsBaseConfigThenDefault() {
        runner.withPropertyValues(
                        "resilience.circuitbreaker.configs.default.minimum-number-of-calls=7",
                        "resilience.circuitbreaker.configs.default.sliding-window-size=30",
                        "resilience.circuitbreaker.configs.shared.sliding-window-size=40",
                        "resilience.circuitbreaker.configs.shared.failure-rate-threshold=25",
                        "resilience.circuitbreaker.instances.inventory.base-config=shared",
                        "resilience.circuitbreaker.instances.inventory.failure-rate-threshold=75")
                .run(context -> {
                    CircuitBreakerConfig config = context.getBean(ResilienceRegistries.class).circuitBreakers().get("inventory").config();
                    assertThat(config.failureRateThreshold()).isEqualTo(75f);
                    assertThat(config.slidingWindowSize()).isEqualTo(40);
                    assertThat(config.minimumNumberOfCalls()).isEqualTo(7);
                    assertThat(config.permittedNumberOfCallsInHalfOpenState()).isEqualTo(10);
                });
    }

    @Test
    void theBaseConfigOfConfigsDefaultAppliesToConfiguredInstancesAsToInstancesCreatedOnFirstUse() {
        runner.withPropertyValues(
                        "resilience.circuitbreaker.configs.shared.minimum-number-of-calls=2",
                        "resilience.circuitbreaker.configs.default.base-config=shared",
                        "resilience.circuitbreaker.instances.configured.failure-rate-threshold=20")
                .run(context -> {
                    Registry<dev.resilience.circuitbreaker.CircuitBreaker, CircuitBreakerConfig> breakers =
                            context.getBean(ResilienceRegistries.class).circuitBreakers();
                    assertThat(breakers.get("configured").config().minimumNumberOfCalls()).isEqualTo(2);
                    assertThat(breakers.get("configured").config().failureRateThreshold()).isEqualTo(20f);
                    assertThat(breakers.get("onFirstUse").config().minimumNumberOfCalls()).isEqualTo(2);
                });
    }

    @Test
    void anInstancesOwnBaseConfigComesBeforeConfigsDefaultAndItsBaseConfig() {
        runner.withPropertyValues(
                        "resilience.retry.configs.shared.max-attempts=7",
                        "resilience.retry.configs.shared.wait-duration=10ms",
                        "resilience.retry.configs.default.base-config=shared",
                        "resilience.retry.configs.default.max-attempts=4",
                        "resilience.retry.configs.own.max-attempts=5",
                        "resilience.retry.instances.pricing.base-config=own")
                .run(context -> {
                    dev.resilience.retry.RetryConfig config = context.getBean(ResilienceRegistries.class).retries().get("pricing").config();
                    assertThat(config.maxAttempts()).isEqualTo(5);
                    assertThat(config.waitDuration()).isEqualTo(Duration.ofMillis(10));
                });
    }

    @Test
    void configuredInstancesExistFromStartUp() {
        runner.withPropertyValues("resilience.retry.instances.pricing.max-attempts=5",
                        "resilience.ratelimiter.instances.api.limit-for-period=3")
                .run(context -> {
                    ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
                    assertThat(registries.retries().find("pricing")).hasValueSatisfying(r -> assertThat(r.config().maxAttempts()).isEqualTo(5));
                    assertThat(registries.rateLimiters().find("api")).hasValueSatisfying(r -> assertThat(r.config().limitForPeriod()).isEqualTo(3));
                });
    }

    @Test
    void bindsDurationsEnumsAndExceptionClasses() {
        runner.withPropertyValues(
                        "resilience.circuitbreaker.instances.a.sliding-window-type=TIME_BASED",
                        "resilience.circuitbreaker.instances.a.sliding-window-size=10",
                        "resilience.circuitbreaker.instances.a.wait-duration-in-open-state=2s",
                        "resilience.circuitbreaker.instances.a.record-exceptions=java.io.IOException",
                        "resilience.bulkhead.instances.b.max-wait-duration=250ms",
                        "resilience.timeout.instances.t.timeout-duration=1500ms",
                        "resilience.timeout.instances.t.cancel-running-future=false",
                        "resilience.thread-pool-bulkhead.instances.p.core-thread-pool-size=1",
                        "resilience.thread-pool-bulkhead.instances.p.max-thread-pool-size=2")
                .run(context -> {
                    ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
                    CircuitBreakerConfig a = registries.circuitBreakers().get("a").config();
                    assertThat(a.slidingWindowType()).isEqualTo(CircuitBreakerConfig.SlidingWindowType.TIME_BASED);
                    assertThat(a.waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(a.recordExceptions()).containsExactly(IOException.class);
                    assertThat(registries.bulkheads().get("b").config().maxWaitDuration()).isEqualTo(Duration.ofMillis(250));
                    assertThat(registries.timeouts().get("t").config().timeoutDuration()).isEqualTo(Duration.ofMillis(1500));
                    assertThat(registries.timeouts().get("t").config().cancelRunningFuture()).isFalse();
                    assertThat(registries.threadPoolBulkheads().get("p").config().maxThreadPoolSize()).isEqualTo(2);
                });
    }

    @Test
    void customizersAdjustEveryInstanceAfterProperties() {
        runner.withPropertyValues("resilience.circuitbreaker.instances.a.sliding-window-size=50")
                .withBean(CircuitBreakerConfigCustomizer.class, () -> (name, builder) -> {
                    if (name.equals("a")) {
                        builder.minimumNumberOfCalls(3);
                    }
                })
                .run(context -> {
                    CircuitBreakerConfig a = context.getBean(ResilienceRegistries.class).circuitBreakers().get("a").config();
                    assertThat(a.slidingWindowSize()).isEqualTo(50);
                    assertThat(a.minimumNumberOfCalls()).isEqualTo(3);
                    assertThat(context.getBean(ResilienceRegistries.class).circuitBreakers().get("b").config().minimumNumberOfCalls())
                            .isEqualTo(100);
                });
    }

    @Test
    void aUserClockIsUsedByThePolicies() {
        runner.withUserConfiguration(ManualClockConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(Clock.class);
            assertThat(context.getBean(Clock.class)).isInstanceOf(ManualClock.class);
        });
    }

    @Test
    void userRegistriesWin() {
        runner.withUserConfiguration(UserRegistriesConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(ResilienceRegistries.class);
            assertThat(context.getBean(ResilienceRegistries.class)).isSameAs(UserRegistriesConfiguration.REGISTRIES);
        });
    }

    @Test
    void startsWithoutActuatorMicrometerOrWebOnTheClasspath() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate", "io.micrometer",
                        "org.springframework.web", "org.springframework.boot.health"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(ResilienceRegistries.class);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class ManualClockConfiguration {
        @Bean
        Clock clock() {
            return new ManualClock();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserRegistriesConfiguration {
        static final ResilienceRegistries REGISTRIES = new ResilienceRegistries(
                Registry.builder("circuitbreaker", dev.resilience.circuitbreaker.CircuitBreaker::of, CircuitBreakerConfig.defaults()).build(),
                Registry.builder("retry", dev.resilience.retry.Retry::of, dev.resilience.retry.RetryConfig.defaults()).build(),
                Registry.builder("bulkhead", dev.resilience.bulkhead.Bulkhead::of, dev.resilience.bulkhead.BulkheadConfig.defaults()).build(),
                Registry.builder("thread-pool-bulkhead", dev.resilience.bulkhead.ThreadPoolBulkhead::of, dev.resilience.bulkhead.ThreadPoolBulkheadConfig.defaults()).build(),
                Registry.builder("ratelimiter", dev.resilience.ratelimiter.RateLimiter::of, dev.resilience.ratelimiter.RateLimiterConfig.defaults()).build(),
                Registry.builder("timeout", dev.resilience.timeout.Timeout::of, dev.resilience.timeout.TimeoutConfig.defaults()).build());

        @Bean
        ResilienceRegistries registries() {
            return REGISTRIES;
        }
    }
}

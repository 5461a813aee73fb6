package dev.resilience.spring.redis;

import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.StoreFailureMode;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.autoconfigure.ResilienceFailureAnalyzer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up with and without Redis: {@code store} values are checked, {@code store: redis} without Spring Data Redis
 * says what to add, and applications that do not use it are unaffected. Nothing here connects to a Redis.
 */
class RedisStoreStartupTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, ResilienceAutoConfiguration.class,
                    ResilienceRedisAutoConfiguration.class))
            // A port nothing listens on: start-up must not need a Redis.
            .withPropertyValues("spring.data.redis.port=1");

    private FailureAnalysis failure(ApplicationContextRunner runner, String... properties) {
        FailureAnalysis[] result = new FailureAnalysis[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            result[0] = new ResilienceFailureAnalyzer().analyze(context.getStartupFailure());
        });
        assertThat(result[0]).as("a failure analysis").isNotNull();
        return result[0];
    }

    @Test
    void unknownStoreValueFailsStartUpNamingTheProperty() {
        FailureAnalysis analysis = failure(runner, "resilience.ratelimiter.instances.partner.store=memcached");

        assertThat(analysis.getDescription()).contains("resilience.ratelimiter.instances.partner.store")
                .contains("memcached").contains("'local' or 'redis'");
    }

    @Test
    void unknownStoreValueInASharedConfigFailsStartUpToo() {
        assertThat(failure(runner, "resilience.ratelimiter.configs.default.store=cluster").getDescription())
                .contains("resilience.ratelimiter.configs.default.store");
    }

    @Test
    void redisStoreWithoutSpringDataRedisFailsStartUpSayingWhatToAdd() {
        FailureAnalysis analysis = failure(runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis",
                "io.lettuce")), "resilience.ratelimiter.instances.partner.store=redis");

        assertThat(analysis.getDescription()).contains("resilience.ratelimiter.instances.partner.store")
                .contains("Spring Data Redis");
        assertThat(analysis.getAction()).contains("spring-boot-starter-data-redis");
    }

    @Test
    void applicationWithoutRedisOnTheClassPathStartsAndItsLimitersAreLocal() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "io.lettuce"))
                .withPropertyValues("resilience.ratelimiter.instances.partner.limit-for-period=3")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(RedisRateLimiterStore.class);
                    RateLimiter limiter = context.getBean(ResilienceRegistries.class).rateLimiters().get("partner");
                    assertThat(limiter.storeStatus()).isEmpty();
                });
    }

    @Test
    void limitersAreLocalUnlessTheirStoreIsRedisEvenWithRedisPresent() {
        runner.withPropertyValues("resilience.ratelimiter.instances.shared.store=redis",
                        "resilience.ratelimiter.instances.alone.store=local")
                .run(context -> {
                    ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
                    assertThat(registries.rateLimiters().get("alone").storeStatus()).isEmpty();
                    assertThat(registries.rateLimiters().get("unconfigured").storeStatus()).isEmpty();
                    assertThat(registries.rateLimiters().get("shared").storeStatus()).get()
                            .satisfies(status -> {
                                assertThat(status.store()).isEqualTo("redis");
                                assertThat(status.storeKey()).isEqualTo("shared");
                                assertThat(status.onStoreFailure()).isEqualTo(StoreFailureMode.LOCAL);
                            });
                });
    }

    @Test
    void storeAndFailureModeAreInheritedFromTheBaseConfig() {
        runner.withPropertyValues("resilience.ratelimiter.configs.fleet.store=redis",
                        "resilience.ratelimiter.configs.fleet.on-store-failure=deny",
                        "resilience.ratelimiter.instances.partner.base-config=fleet")
                .run(context -> assertThat(context.getBean(ResilienceRegistries.class).rateLimiters().get("partner")
                        .storeStatus()).get().extracting(s -> s.onStoreFailure()).isEqualTo(StoreFailureMode.DENY));
    }

    @Test
    void commandTimeoutAndKeyPrefixComeFromTheirProperties() {
        runner.withPropertyValues("resilience.ratelimiter.redis.command-timeout=250ms",
                        "resilience.ratelimiter.redis.key-prefix=orders:")
                .run(context -> {
                    RedisRateLimiterStore store = context.getBean(RedisRateLimiterStore.class);
                    assertThat(store.commandTimeout()).isEqualTo(Duration.ofMillis(250));
                    assertThat(store.redisKey("partner")).isEqualTo("orders:{partner}");
                });
    }

    @Test
    void defaultsAreA100MillisecondCommandTimeoutAndTheResiliencePrefix() {
        runner.run(context -> {
            RedisRateLimiterStore store = context.getBean(RedisRateLimiterStore.class);
            assertThat(store.commandTimeout()).isEqualTo(Duration.ofMillis(100));
            assertThat(store.redisKey("partner")).isEqualTo("resilience:ratelimiter:{partner}");
        });
    }

    @Test
    void commandTimeoutMustBePositive() {
        assertThat(failure(runner, "resilience.ratelimiter.redis.command-timeout=0s").getDescription())
                .contains("resilience.ratelimiter.redis.command-timeout").contains("a positive duration");
    }
}

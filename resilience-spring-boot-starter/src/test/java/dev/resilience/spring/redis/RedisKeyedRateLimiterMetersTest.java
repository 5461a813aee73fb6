package dev.resilience.spring.redis;

import dev.resilience.annotation.RateLimited;
import dev.resilience.keyed.KeyedPolicy;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.spring.keyed.KeyedInstances;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The store meters of a keyed rate limiter ({@code @RateLimited} with a {@code key}) with {@code store: redis}, on a
 * real Redis started by the test on a free loopback port: one pair per instance, never a tag per key.
 */
class RedisKeyedRateLimiterMetersTest {

    private static final String ERRORS = "resilience.ratelimiter.store.errors";
    private static final String AVAILABLE = "resilience.ratelimiter.store.available";

    private static LocalRedis redis;

    /** Each test has a key prefix of its own, so that tests on the one server never share a limit. */
    private final String prefix = "test-" + UUID.randomUUID() + ":";
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    /** A service limited per tenant, through Redis ("api") and on this instance alone ("plain"). */
    public static class TenantService {

        @RateLimited(name = "api", key = "#tenant")
        public String quote(String tenant) {
            return tenant;
        }

        @RateLimited(name = "plain", key = "#tenant")
        public String local(String tenant) {
            return tenant;
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        TenantService tenantService() {
            return new TenantService();
        }

        /** Lettuce waits up to 30 s between reconnection attempts by default; the restart test need not. */
        @Bean
        ClientResourcesBuilderCustomizer fastReconnect() {
            return builder -> builder.reconnectDelay(Delay.constant(Duration.ofMillis(100)));
        }
    }

    @BeforeAll
    static void startRedis() throws Exception {
        redis = LocalRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void closeContexts() {
        contexts.forEach(ConfigurableApplicationContext::close);
    }

    private ConfigurableApplicationContext instance(String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "spring.data.redis.host=127.0.0.1",
                "spring.data.redis.port=" + redis.port(),
                "resilience.ratelimiter.redis.key-prefix=" + prefix,
                "resilience.ratelimiter.instances.api.store=redis"));
        all.addAll(List.of(properties));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE).properties(all.toArray(String[]::new)).run();
        contexts.add(context);
        LocalRedis.awaitConnected(context);
        return context;
    }

    @ParameterizedTest
    @ValueSource(strings = {"resilience", "resilience4j"})
    void aKeyedLimiterWithAStoreHasTheStoreMetersFromStartUpTaggedWithItsNameOnly(String naming) {
        ConfigurableApplicationContext context = instance("resilience.metrics.naming=" + naming);
        MeterRegistry meters = context.getBean(MeterRegistry.class);
        KeyedPolicy<RateLimiter> api = context.getBean(KeyedInstances.class).findRateLimiter("api").orElseThrow();
        assertThat(api.size()).isZero();

        assertThat(meters.get(ERRORS).tag("name", "api").functionCounter().count()).isZero();
        assertThat(meters.get(AVAILABLE).tag("name", "api").gauge().value()).isEqualTo(1);

        context.getBean(TenantService.class).quote("acme");
        context.getBean(TenantService.class).local("acme");
        for (String meter : List.of(ERRORS, AVAILABLE)) {
            assertThat(meters.find(meter).meters()).extracting(Meter::getId).allSatisfy(id ->
                    assertThat(id.getTags()).containsExactly(Tag.of("name", "api")));
        }
        // A keyed limiter without a store has no store to measure.
        assertThat(meters.find(ERRORS).tag("name", "plain").meters()).isEmpty();
        assertThat(meters.find(AVAILABLE).tag("name", "plain").meters()).isEmpty();
    }

    @Test
    void storeErrorsCountOverTheKeysDroppedOnesIncludedAndAvailableFollowsRedisStoppedAndRestarted() throws Exception {
        ConfigurableApplicationContext context = instance(
                "resilience.ratelimiter.redis.command-timeout=1s",
                "resilience.ratelimiter.instances.api.on-store-failure=local",
                "resilience.ratelimiter.instances.api.limit-for-period=1000",
                "resilience.ratelimiter.instances.api.limit-refresh-period=100ms",
                "resilience.ratelimiter.instances.api.timeout-duration=0",
                // One key at most: a second key drops the first once its last period is over.
                "resilience.ratelimiter.instances.api.max-keys=1");
        TenantService service = context.getBean(TenantService.class);
        MeterRegistry meters = context.getBean(MeterRegistry.class);
        KeyedPolicy<RateLimiter> api = context.getBean(KeyedInstances.class).findRateLimiter("api").orElseThrow();
        assertThat(service.quote("A")).isEqualTo("A");
        assertThat(meters.get(AVAILABLE).tag("name", "api").gauge().value()).isEqualTo(1);
        try {
            redis.stop();

            // LOCAL: the key's own limiter admits meanwhile; one failure, and the store is unavailable to this key.
            assertThat(service.quote("A")).isEqualTo("A");
            assertThat(meters.get(ERRORS).tag("name", "api").functionCounter().count()).isEqualTo(1);
            assertThat(meters.get(AVAILABLE).tag("name", "api").gauge().value()).isZero();

            // B takes A's place as soon as A may be dropped, and fails on the store in turn.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
                try {
                    return "B".equals(service.quote("B"));
                } catch (RequestNotPermittedException allKeysInUse) {
                    return false;
                }
            });
            assertThat(api.metrics().evictedKeys()).isEqualTo(1);
            assertThat(api.keys()).containsExactly("B");
            assertThat(meters.get(ERRORS).tag("name", "api").functionCounter().count()).isEqualTo(2);
            assertThat(meters.get(AVAILABLE).tag("name", "api").gauge().value()).isZero();
        } finally {
            redis.restart();
        }

        // The key held finds Redis again by itself (its next probe, within a second of its failure).
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            service.quote("B");
            return meters.get(AVAILABLE).tag("name", "api").gauge().value() == 1;
        });
        assertThat(meters.get(ERRORS).tag("name", "api").functionCounter().count()).isGreaterThanOrEqualTo(2);
    }
}

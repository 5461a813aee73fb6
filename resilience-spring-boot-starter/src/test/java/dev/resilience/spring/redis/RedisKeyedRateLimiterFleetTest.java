package dev.resilience.spring.redis;

import dev.resilience.annotation.RateLimited;
import dev.resilience.core.ManualClock;
import dev.resilience.keyed.KeyedPolicy;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.spring.keyed.KeyedInstances;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import dev.resilience.spring.actuate.RateLimiterStoresHealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keyed rate limiters ({@code @RateLimited} with a {@code key}) with {@code store: redis} in two application contexts
 * (two instances of a service) on one real Redis, started by the test on a free loopback port: each key is one limit
 * for the fleet, counted under a Redis key of its own.
 */
class RedisKeyedRateLimiterFleetTest {

    private static LocalRedis redis;
    private static RedisCommands<String, String> commands;

    /** Each test has a key prefix of its own, so that tests on the one server never share a limit. */
    private final String prefix = "test-" + UUID.randomUUID() + ":";
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    /** A service limited per tenant. */
    public static class TenantService {

        @RateLimited(name = "api", key = "#tenant")
        public String quote(String tenant) {
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
    }

    @BeforeAll
    static void startRedis() throws Exception {
        redis = LocalRedis.start();
        commands = redis.commands();
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

    /** The same service on a clock the test moves, to drive the keys' bound and expiry. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ManualClockApp {

        @Bean
        TenantService tenantService() {
            return new TenantService();
        }

        @Bean
        ManualClock resilienceClock() {
            return new ManualClock();
        }
    }

    private ConfigurableApplicationContext instance(String... properties) {
        return instance(App.class, properties);
    }

    /** One instance of the service: a context whose keyed limiter "api" counts in Redis. */
    private ConfigurableApplicationContext instance(Class<?> app, String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "spring.data.redis.host=127.0.0.1",
                "spring.data.redis.port=" + redis.port(),
                "resilience.ratelimiter.redis.key-prefix=" + prefix,
                // Generous, so that a slow answer on a busy machine does not turn into the failure mode.
                "resilience.ratelimiter.redis.command-timeout=10s",
                "resilience.ratelimiter.instances.api.store=redis",
                // A slow answer must not let a local limiter admit more: refuse instead.
                "resilience.ratelimiter.instances.api.on-store-failure=deny"));
        all.addAll(List.of(properties));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(app)
                .web(WebApplicationType.NONE).properties(all.toArray(String[]::new)).run();
        contexts.add(context);
        LocalRedis.awaitConnected(context);
        return context;
    }

    @Test
    void theStoresHealthContributorSumsUpAKeyedLimitersKeys() {
        TenantService service = instance().getBean(TenantService.class);
        service.quote("acme");
        service.quote("globex");

        Health health = contexts.get(0).getBean("rateLimiterStoresHealthIndicator", HealthIndicator.class).health(true);

        assertThat(health.getStatus().getCode()).isEqualTo("UP");
        assertThat(health.getDetails().get("api")).isEqualTo(Map.of("store", "redis", "available", true, "keys", 2,
                "keysUnavailable", 0, "errors", 0L, "onStoreFailure", "DENY"));
    }

    @Test
    void aKeyedLimiterWhoseStoreFailsMakesTheStoresHealthContributorReportIt() throws IOException {
        int nothingListens;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nothingListens = socket.getLocalPort();
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + nothingListens,
                        "resilience.ratelimiter.redis.command-timeout=5s",
                        "resilience.ratelimiter.instances.api.store=redis",
                        "resilience.ratelimiter.instances.api.on-store-failure=deny")
                .run();
        contexts.add(context);

        assertThatThrownBy(() -> context.getBean(TenantService.class).quote("acme"))
                .isInstanceOf(RequestNotPermittedException.class);
        Health health = context.getBean("rateLimiterStoresHealthIndicator", HealthIndicator.class).health(true);

        assertThat(health.getStatus()).isEqualTo(RateLimiterStoresHealthIndicator.STORE_UNAVAILABLE);
        @SuppressWarnings("unchecked")
        Map<String, Object> api = (Map<String, Object>) health.getDetails().get("api");
        assertThat(api).containsEntry("available", false).containsEntry("keys", 1).containsEntry("keysUnavailable", 1);
        assertThat((Long) api.get("errors")).isPositive();
    }

    private static long redisMicros() {
        List<String> time = commands.time();
        return Long.parseLong(time.get(0)) * 1_000_000L + Long.parseLong(time.get(1));
    }

    @Test
    void twoInstancesAdmitExactlyTheLimitPerKeyTogetherAndKeysAreIndependent() throws Exception {
        String[] settings = {
                "resilience.ratelimiter.instances.api.limit-for-period=30",
                "resilience.ratelimiter.instances.api.limit-refresh-period=1d",
                "resilience.ratelimiter.instances.api.timeout-duration=0"};
        TenantService first = instance(settings).getBean(TenantService.class);
        TenantService second = instance(settings).getBean(TenantService.class);
        int threadsPerInstance = 8;
        int callsPerThread = 30; // 2 x 8 x 30 = 480 calls per key, for a limit of 30 per key
        Map<String, AtomicInteger> admitted = new ConcurrentHashMap<>(Map.of("A", new AtomicInteger(), "B", new AtomicInteger()));
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerInstance);
        List<Future<?>> done = new ArrayList<>();
        long before = redisMicros();
        for (int t = 0; t < 2 * threadsPerInstance; t++) {
            TenantService service = t % 2 == 0 ? first : second;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 2 * callsPerThread; i++) {
                    try {
                        admitted.get(service.quote(i % 2 == 0 ? "A" : "B")).incrementAndGet();
                    } catch (RequestNotPermittedException e) {
                        refused.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long after = redisMicros();

        long day = Duration.ofDays(1).toNanos() / 1_000L;
        long windows = after / day - before / day + 1; // 1 unless the burst straddled midnight UTC on Redis's clock
        assertThat(admitted.get("A").get() + admitted.get("B").get() + refused.get())
                .isEqualTo(2 * threadsPerInstance * 2 * callsPerThread);
        if (windows == 1) {
            assertThat(admitted.get("A")).hasValue(30);
            assertThat(admitted.get("B")).hasValue(30);
        } else {
            assertThat(admitted.get("A").get()).isBetween(30, 60);
            assertThat(admitted.get("B").get()).isBetween(30, 60);
        }
        for (ConfigurableApplicationContext context : contexts) {
            KeyedPolicy<RateLimiter> api = context.getBean(KeyedInstances.class).findRateLimiter("api").orElseThrow();
            assertThat(api.find("A").orElseThrow().storeStatus().orElseThrow().errors()).isZero();
            assertThat(api.find("B").orElseThrow().storeStatus().orElseThrow().errors()).isZero();
        }
    }

    @Test
    void eachKeyIsCountedUnderThePrefixTheNameAndTheKeyInAHashTagThatExpires() {
        TenantService service = instance(
                "resilience.ratelimiter.instances.api.limit-refresh-period=200ms",
                "resilience.ratelimiter.instances.api.timeout-duration=0").getBean(TenantService.class);

        service.quote("acme");
        service.quote("globex");

        assertThat(commands.keys(prefix + "*"))
                .containsExactlyInAnyOrder(prefix + "{api:acme}", prefix + "{api:globex}", prefix + "{warm-up}");
        // The end of the window (at most 200 ms away) plus one second.
        assertThat(commands.pttl(prefix + "{api:acme}")).isBetween(1L, 1_200L);
        assertThat(commands.pttl(prefix + "{api:globex}")).isBetween(1L, 1_200L);
    }

    @Test
    void keyDroppedLocallyAndBackFindsItsPeriodStillUsedUpInRedis() {
        // One key at most: a new key drops the held one once it has been idle for a period (on the manual clock).
        ConfigurableApplicationContext context = instance(ManualClockApp.class,
                "resilience.ratelimiter.instances.api.limit-for-period=2",
                "resilience.ratelimiter.instances.api.limit-refresh-period=1d",
                "resilience.ratelimiter.instances.api.timeout-duration=0",
                "resilience.ratelimiter.instances.api.max-keys=1");
        TenantService service = context.getBean(TenantService.class);
        ManualClock clock = context.getBean(ManualClock.class);
        KeyedPolicy<RateLimiter> api = context.getBean(KeyedInstances.class).findRateLimiter("api").orElseThrow();
        assertThat(service.quote("A")).isEqualTo("A");
        assertThat(service.quote("A")).isEqualTo("A");

        clock.advance(Duration.ofDays(2));
        assertThat(service.quote("B")).isEqualTo("B"); // drops A: the bound is this instance's
        clock.advance(Duration.ofDays(2));

        // A fresh limiter for A, but Redis (whose period has not turned) still counts A's two admissions.
        assertThatThrownBy(() -> service.quote("A")).isInstanceOf(RequestNotPermittedException.class);
        assertThat(api.metrics().evictedKeys()).isEqualTo(2);
        assertThat(api.size()).isEqualTo(1);
        assertThat(commands.get(prefix + "{api:A}")).endsWith(":2");
        assertThat(commands.get(prefix + "{api:B}")).endsWith(":1");
    }
}

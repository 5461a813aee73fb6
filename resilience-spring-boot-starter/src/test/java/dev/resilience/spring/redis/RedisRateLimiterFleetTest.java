package dev.resilience.spring.redis;

import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.ratelimiter.StoreStatus;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.actuate.RateLimiterStoresHealthIndicator;
import dev.resilience.spring.actuate.RateLimitersEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import io.lettuce.core.resource.Delay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Rate limiters with {@code store: redis} in two application contexts (two instances of a service) on one real Redis,
 * started by the test on a free loopback port.
 */
class RedisRateLimiterFleetTest {

    private static LocalRedis redis;
    private static RedisCommands<String, String> commands;

    /** Each test has a key prefix of its own, so that tests on the one server never share a limit. */
    private final String prefix = "test-" + UUID.randomUUID() + ":";
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        /**
         * Lettuce waits up to 30 s between reconnection attempts by default; a test that restarts Redis need not wait
         * for that, and an application may shorten it the same way.
         */
        @Bean
        ClientResourcesBuilderCustomizer fastReconnect() {
            return builder -> builder.reconnectDelay(Delay.constant(Duration.ofMillis(100)));
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

    private RateLimiter limiter(String name, String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "spring.data.redis.host=127.0.0.1",
                "spring.data.redis.port=" + redis.port(),
                "resilience.ratelimiter.redis.key-prefix=" + prefix,
                // Generous, so that a busy machine does not turn a slow answer into the failure mode; the tests of the
                // failure mode set their own.
                "resilience.ratelimiter.redis.command-timeout=5s",
                "resilience.ratelimiter.instances." + name + ".store=redis"));
        all.addAll(List.of(properties));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE).properties(all.toArray(String[]::new)).run();
        contexts.add(context);
        LocalRedis.awaitConnected(context);
        return context.getBean(ResilienceRegistries.class).rateLimiters().get(name);
    }

    private static long redisMicros() {
        List<String> time = commands.time();
        return Long.parseLong(time.get(0)) * 1_000_000L + Long.parseLong(time.get(1));
    }

    @Test
    void twoInstancesNeverAdmitMoreThanTheLimitTogether() throws Exception {
        String[] settings = {
                "resilience.ratelimiter.instances.partner.limit-for-period=100",
                "resilience.ratelimiter.instances.partner.limit-refresh-period=1d",
                "resilience.ratelimiter.instances.partner.timeout-duration=0",
                // A slow answer on a busy machine must not let a local limiter admit more: refuse instead.
                "resilience.ratelimiter.instances.partner.on-store-failure=deny",
                "resilience.ratelimiter.redis.command-timeout=10s"};
        RateLimiter first = limiter("partner", settings);
        RateLimiter second = limiter("partner", settings);
        int threadsPerInstance = 8;
        int callsPerThread = 40;
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerInstance);
        List<Future<?>> done = new ArrayList<>();
        long before = redisMicros();
        for (int t = 0; t < 2 * threadsPerInstance; t++) {
            RateLimiter limiter = t % 2 == 0 ? first : second;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < callsPerThread; i++) {
                    try {
                        limiter.call(admitted::incrementAndGet);
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
        assertThat(first.storeStatus().orElseThrow().errors()).isZero();
        assertThat(second.storeStatus().orElseThrow().errors()).isZero();
        assertThat(admitted.get() + refused.get()).isEqualTo(2 * threadsPerInstance * callsPerThread);
        if (windows == 1) {
            assertThat(admitted).hasValue(100);
        } else {
            assertThat(admitted.get()).isBetween(100, 200);
        }
        assertThat(first.metrics().permittedCalls() + second.metrics().permittedCalls()).isEqualTo(admitted.get());
    }

    @Test
    void everyKeyHasAnExpiryAndAnIdleLimiterLeavesNothingBehind() {
        RateLimiter limiter = limiter("expiring",
                "resilience.ratelimiter.instances.expiring.limit-refresh-period=200ms",
                "resilience.ratelimiter.instances.expiring.timeout-duration=0");

        assertThat(limiter.acquirePermission()).isTrue();

        String key = prefix + "{expiring}";
        assertThat(commands.keys(prefix + "*")).contains(key);
        // The end of the window (at most 200 ms away) plus one second.
        assertThat(commands.pttl(key)).isBetween(1L, 1_200L);
        await().atMost(Duration.ofSeconds(10)).until(() -> commands.exists(key) == 0);
    }

    @Test
    void keyIsAHashTagSoThatALimitersKeysShareOneClusterSlot() {
        RateLimiter limiter = limiter("tagged");

        limiter.acquirePermission();

        assertThat(commands.keys(prefix + "*")).containsExactlyInAnyOrder(prefix + "{tagged}", prefix + "{warm-up}");
    }

    @Test
    void scriptFlushedMidTestIsLoadedAgainWithoutAFailure() {
        RateLimiter limiter = limiter("flushed",
                "resilience.ratelimiter.instances.flushed.limit-for-period=3",
                "resilience.ratelimiter.instances.flushed.limit-refresh-period=1d",
                "resilience.ratelimiter.instances.flushed.timeout-duration=0",
                "resilience.ratelimiter.instances.flushed.on-store-failure=deny");
        assertThat(limiter.acquirePermission()).isTrue();
        assertThat(commands.scriptExists(RedisRateLimiterStore.SCRIPT_SHA)).containsExactly(true);

        commands.scriptFlush();
        assertThat(commands.scriptExists(RedisRateLimiterStore.SCRIPT_SHA)).containsExactly(false);

        assertThat(limiter.acquirePermission()).isTrue();
        assertThat(limiter.acquirePermission()).isTrue();
        assertThat(limiter.acquirePermission()).isFalse(); // the count survived: still one shared limit
        assertThat(commands.scriptExists(RedisRateLimiterStore.SCRIPT_SHA)).containsExactly(true);
        assertThat(limiter.storeStatus().orElseThrow().errors()).isZero();
    }

    @Test
    void callerOverTheLimitWaitsForTheNextWindowWithinItsTimeout() {
        RateLimiter limiter = limiter("waiting",
                "resilience.ratelimiter.instances.waiting.limit-for-period=1",
                "resilience.ratelimiter.instances.waiting.limit-refresh-period=300ms",
                "resilience.ratelimiter.instances.waiting.timeout-duration=5s",
                "resilience.ratelimiter.redis.command-timeout=5s");
        long start = System.nanoTime();

        for (int i = 0; i < 3; i++) {
            limiter.call(() -> "ran");
        }

        // Three permits of three consecutive 300 ms windows: the third starts at least 300 ms after the first.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(limiter.metrics().permittedCalls()).isEqualTo(3);
    }

    /** The endpoint, the health contributor and the meters of the context show the limiter's store failing. */
    private static void assertFailureIsVisible(ConfigurableApplicationContext context, String name) {
        RateLimitersEndpoint.RateLimiterDescriptor described = new RateLimitersEndpoint(
                context.getBean(ResilienceRegistries.class).rateLimiters()).rateLimiters().rateLimiters().get(name);
        assertThat(described.store()).isNotNull();
        assertThat(described.store().available()).isFalse();
        assertThat(described.store().errors()).isPositive();
        assertThat(described.store().lastError()).isNotBlank();
        assertThat(described.store().onStoreFailure()).isEqualTo("DENY");

        Health health = context.getBean("rateLimiterStoresHealthIndicator", HealthIndicator.class).health(true);
        assertThat(health.getStatus()).isEqualTo(RateLimiterStoresHealthIndicator.STORE_UNAVAILABLE);
        assertThat(health.getDetails()).containsKey(name);

        MeterRegistry meters = context.getBean(MeterRegistry.class);
        assertThat(meters.get("resilience.ratelimiter.store.errors").tag("name", name).functionCounter().count())
                .isPositive();
        assertThat(meters.get("resilience.ratelimiter.store.available").tag("name", name).gauge().value()).isZero();
    }

    @Test
    void redisStoppedMidTestGivesTheFailureModeWithinTheCommandTimeoutAndTheSharedLimitComesBack() throws Exception {
        String[] settings = {
                "resilience.ratelimiter.instances.outage.limit-for-period=5",
                "resilience.ratelimiter.instances.outage.limit-refresh-period=1d",
                "resilience.ratelimiter.instances.outage.timeout-duration=0",
                "resilience.ratelimiter.instances.outage.on-store-failure=local",
                "resilience.ratelimiter.redis.command-timeout=1s"};
        RateLimiter first = limiter("outage", settings);
        RateLimiter second = limiter("outage", settings);
        RateLimiter denying = limiter("denying",
                "resilience.ratelimiter.instances.denying.on-store-failure=deny",
                "resilience.ratelimiter.redis.command-timeout=1s");
        assertThat(first.acquirePermission()).isTrue();
        assertThat(second.acquirePermission()).isTrue();
        assertThat(denying.acquirePermission()).isTrue();
        try {
            redis.stop();

            long start = System.nanoTime();
            assertThatThrownBy(() -> denying.call(() -> "x")).isInstanceOf(RequestNotPermittedException.class)
                    .hasMessageContaining("unavailable");
            // 1 s of command timeout, with a generous margin for a busy machine; never the client's 60 s.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(denying.storeStatus().orElseThrow().available()).isFalse();
            assertFailureIsVisible(contexts.get(2), "denying");

            // LOCAL: each instance enforces the limit on its own, so the two admit at most 2 x 5 meanwhile. (One
            // instance after the other: only a call that asks Redis again, once a second, waits the command timeout.)
            int admittedWhileDown = 0;
            for (int i = 0; i < 10; i++) {
                admittedWhileDown += first.acquirePermission() ? 1 : 0;
            }
            for (int i = 0; i < 10; i++) {
                admittedWhileDown += second.acquirePermission() ? 1 : 0;
            }
            assertThat(admittedWhileDown).isEqualTo(10);
            StoreStatus status = first.storeStatus().orElseThrow();
            assertThat(status.available()).isFalse();
            assertThat(status.errors()).isPositive();
        } finally {
            redis.restart();
        }
        commands = redis.commands();

        // Redis restarted empty: the limiters find it again by themselves and share one limit of 5 once more.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            first.acquirePermission();
            second.acquirePermission();
            return first.storeStatus().orElseThrow().available() && second.storeStatus().orElseThrow().available();
        });
        commands.del(prefix + "{outage}");
        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            admitted += first.acquirePermission() ? 1 : 0;
            admitted += second.acquirePermission() ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(5);
    }

    @Test
    void drainOnOneInstanceEmptiesTheSharedPeriodForTheWholeFleet() {
        String[] settings = {
                "resilience.ratelimiter.instances.drained.limit-for-period=5",
                "resilience.ratelimiter.instances.drained.limit-refresh-period=1d",
                "resilience.ratelimiter.instances.drained.timeout-duration=0",
                "resilience.ratelimiter.instances.drained.on-store-failure=deny"};
        RateLimiter first = limiter("drained", settings);
        RateLimiter second = limiter("drained", settings);
        long before = redisMicros();
        assertThat(first.acquirePermission()).isTrue();
        assertThat(second.acquirePermission()).isTrue();

        first.drainPermissions();

        boolean secondAdmitted = second.acquirePermission();
        boolean firstAdmitted = first.acquirePermission();
        long after = redisMicros();
        long day = Duration.ofDays(1).toNanos() / 1_000L;
        if (after / day == before / day) { // not across midnight UTC on Redis's clock, when the period turns
            assertThat(secondAdmitted).isFalse();
            assertThat(firstAdmitted).isFalse();
            assertThat(commands.get(prefix + "{drained}")).endsWith(":5");
        }
        assertThat(first.storeStatus().orElseThrow().errors()).isZero();
        assertThat(first.metrics().permittedCalls()).isEqualTo(1); // drained permits are not counted as calls
    }

    @Test
    void drainedPeriodTurnsOnRedisClockWithItsFullLimit() {
        String[] settings = {
                "resilience.ratelimiter.instances.turning.limit-for-period=2",
                "resilience.ratelimiter.instances.turning.limit-refresh-period=500ms",
                "resilience.ratelimiter.instances.turning.timeout-duration=0",
                "resilience.ratelimiter.instances.turning.on-store-failure=deny"};
        RateLimiter first = limiter("turning", settings);
        RateLimiter second = limiter("turning", settings);

        first.drainPermissions();
        String key = prefix + "{turning}";
        assertThat(commands.get(key)).endsWith(":2");
        // The drain leaves an expiry like any write: the end of the window plus one second.
        assertThat(commands.pttl(key)).isBetween(1L, 1_500L);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(second::acquirePermission);
        assertThat(second.acquirePermission()).isTrue(); // the next period has its full limit of 2
    }
}

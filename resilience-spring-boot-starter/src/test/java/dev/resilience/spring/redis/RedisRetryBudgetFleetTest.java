package dev.resilience.spring.redis;

import dev.resilience.retry.Retry;
import dev.resilience.spring.ResilienceRegistries;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

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
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A retry budget group with {@code budget.store: redis} in two application contexts (two instances) on one real
 * Redis: under 100 % failure the fleet retries at most {@code floor(ratio x fleet first attempts)}, the documented
 * bound when no first attempt leaves the window during the test.
 */
class RedisRetryBudgetFleetTest {

    private static LocalRedis redis;
    private static RedisCommands<String, String> commands;

    private final String prefix = "test-" + UUID.randomUUID() + ":";
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
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

    private Retry retry() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("spring.data.redis.host=127.0.0.1",
                        "spring.data.redis.port=" + redis.port(),
                        "resilience.retry.redis.key-prefix=" + prefix,
                        "resilience.retry.instances.partner.max-attempts=3",
                        "resilience.retry.instances.partner.wait-duration=1ms",
                        "resilience.retry.instances.partner.budget.enabled=true",
                        "resilience.retry.instances.partner.budget.ratio=0.1",
                        // Longer than the test: no first attempt leaves the window, so the bound is exact.
                        "resilience.retry.instances.partner.budget.window=60s",
                        "resilience.retry.instances.partner.budget.min-retries-per-second=0",
                        "resilience.retry.instances.partner.budget.group=partner",
                        "resilience.retry.instances.partner.budget.store=redis")
                .run();
        contexts.add(context);
        return context.getBean(ResilienceRegistries.class).retries().get("partner");
    }

    @Test
    void twoInstancesUnderTotalFailureNeverRetryMoreThanTheFleetsBudget() throws Exception {
        Retry first = retry();
        Retry second = retry();
        // One successful call each starts the instances' syncs; once both hold a lease, the load begins.
        first.call(() -> "ok");
        second.call(() -> "ok");
        await().atMost(Duration.ofSeconds(30)).until(() -> commands.hlen(prefix + "{partner}:leases") == 2);
        int threadsPerInstance = 4;
        int callsPerThread = 150;
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerInstance);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 2 * threadsPerInstance; t++) {
            Retry retry = t % 2 == 0 ? first : second;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < callsPerThread; i++) {
                    try {
                        retry.call(() -> {
                            attempts.incrementAndGet();
                            // A downstream that takes a moment to fail, so that the load spans several syncs.
                            LockSupport.parkNanos(3_000_000L);
                            throw new IllegalStateException("downstream down");
                        });
                    } catch (IllegalStateException expected) {
                        // every call fails: 100 % failure
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        int firstAttempts = 2 + 2 * threadsPerInstance * callsPerThread;
        int retries = attempts.get() - (firstAttempts - 2);
        long allowed = (long) Math.floor(0.1 * firstAttempts);
        assertThat(retries).isLessThanOrEqualTo((int) allowed);
        assertThat(retries).isPositive(); // the budget was in use, not refusing everything
        // Every count reaches Redis within a sync interval or so.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(sum(prefix + "{partner}:first")).isEqualTo(firstAttempts);
            assertThat(sum(prefix + "{partner}:retries")).isEqualTo(retries);
        });
        assertThat(commands.ttl(prefix + "{partner}:leases")).isPositive();
    }

    private static long sum(String key) {
        return commands.hvals(key).stream().mapToLong(Long::parseLong).sum();
    }
}

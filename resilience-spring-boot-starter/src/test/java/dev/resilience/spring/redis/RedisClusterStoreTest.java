package dev.resilience.spring.redis;

import dev.resilience.keyed.KeyedPolicy;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.retry.Retry;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.keyed.KeyedInstances;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import org.junit.jupiter.api.AfterAll;
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
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis stores on a three-node Redis Cluster on loopback ports: the hash tags keep each limiter's key, and a retry
 * budget group's three keys (one script touches all three), on one slot, so the scripts run on the node owning it.
 */
class RedisClusterStoreTest {

    private static final List<LocalRedis> NODES = new ArrayList<>();
    private static RedisClusterClient cluster;
    private static StatefulRedisClusterConnection<String, String> connection;
    private static RedisAdvancedClusterCommands<String, String> commands;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @BeforeAll
    static void startCluster() throws Exception {
        for (int i = 0; i < 3; i++) {
            NODES.add(LocalRedis.startClusterNode());
        }
        int slotsPerNode = 16384 / 3 + 1;
        for (int i = 0; i < 3; i++) {
            RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", NODES.get(i).port()));
            try (StatefulRedisConnection<String, String> node = client.connect()) {
                int from = i * slotsPerNode;
                int to = Math.min(16384, from + slotsPerNode);
                node.sync().clusterAddSlots(IntStream.range(from, to).toArray());
                if (i == 0) {
                    node.sync().clusterMeet("127.0.0.1", NODES.get(1).port());
                    node.sync().clusterMeet("127.0.0.1", NODES.get(2).port());
                }
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
        for (LocalRedis node : NODES) {
            RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", node.port()));
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> c.sync().clusterInfo().contains("cluster_state:ok")
                                && c.sync().clusterNodes().lines().count() == 3);
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
        cluster = RedisClusterClient.create(NODES.stream().map(n -> RedisURI.create("127.0.0.1", n.port())).toList());
        connection = cluster.connect();
        commands = connection.sync();
    }

    @AfterAll
    static void stopCluster() {
        if (connection != null) {
            connection.close();
        }
        if (cluster != null) {
            cluster.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        NODES.forEach(LocalRedis::close);
    }

    @Test
    void rateLimiterAndRetryBudgetShareTheirLimitOnACluster() throws Exception {
        String nodes = String.join(",", NODES.stream().map(n -> "127.0.0.1:" + n.port()).toList());
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties("spring.data.redis.cluster.nodes=" + nodes,
                        "resilience.ratelimiter.redis.command-timeout=5s",
                        "resilience.ratelimiter.instances.partner.store=redis",
                        "resilience.ratelimiter.instances.partner.on-store-failure=deny",
                        "resilience.ratelimiter.instances.partner.limit-for-period=5",
                        "resilience.ratelimiter.instances.partner.limit-refresh-period=1d",
                        "resilience.ratelimiter.instances.partner.timeout-duration=0",
                        "resilience.retry.instances.partner.budget.enabled=true",
                        "resilience.retry.instances.partner.budget.group=partner",
                        "resilience.retry.instances.partner.budget.store=redis")
                .run()) {
            LocalRedis.awaitConnected(context);
            RateLimiter limiter = context.getBean(ResilienceRegistries.class).rateLimiters().get("partner");

            int admitted = 0;
            for (int i = 0; i < 20; i++) {
                admitted += limiter.acquirePermission() ? 1 : 0;
            }

            assertThat(admitted).isEqualTo(5);
            assertThat(limiter.storeStatus().orElseThrow().errors()).isZero();
            String key = "resilience:ratelimiter:{partner}";
            assertThat(commands.exists(key)).isEqualTo(1);

            Retry retry = context.getBean(ResilienceRegistries.class).retries().get("partner");
            retry.call(() -> "ok"); // starts the budget's syncs: one script on three keys
            String group = "resilience:retry-budget:{partner}";
            await().atMost(Duration.ofSeconds(30)).until(() -> commands.exists(group + ":first", group + ":leases") == 2);
            int slot = commands.clusterKeyslot(group + ":first").intValue();
            assertThat(commands.clusterKeyslot(group + ":retries")).isEqualTo(slot);
            assertThat(commands.clusterKeyslot(group + ":leases")).isEqualTo(slot);
            assertThat(commands.clusterKeyslot(key)).isEqualTo(commands.clusterKeyslot("partner"));
        }
    }

    @Test
    void keyedLimiterSpreadsItsKeysOverTheNodesAndDrainWorksOnACluster() throws Exception {
        String nodes = String.join(",", NODES.stream().map(n -> "127.0.0.1:" + n.port()).toList());
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties("spring.data.redis.cluster.nodes=" + nodes,
                        "resilience.ratelimiter.redis.key-prefix=keyed:",
                        "resilience.ratelimiter.redis.command-timeout=5s",
                        "resilience.ratelimiter.instances.api.store=redis",
                        "resilience.ratelimiter.instances.api.on-store-failure=deny",
                        "resilience.ratelimiter.instances.api.limit-for-period=2",
                        "resilience.ratelimiter.instances.api.limit-refresh-period=1d",
                        "resilience.ratelimiter.instances.api.timeout-duration=0",
                        "resilience.ratelimiter.instances.drained.store=redis",
                        "resilience.ratelimiter.instances.drained.on-store-failure=deny",
                        "resilience.ratelimiter.instances.drained.limit-for-period=5",
                        "resilience.ratelimiter.instances.drained.limit-refresh-period=1d",
                        "resilience.ratelimiter.instances.drained.timeout-duration=0")
                .run()) {
            LocalRedis.awaitConnected(context);
            KeyedPolicy<RateLimiter> api = context.getBean(KeyedInstances.class).rateLimiter("api");

            int admitted = 0;
            for (int tenant = 0; tenant < 12; tenant++) {
                for (int i = 0; i < 4; i++) {
                    admitted += admittedOnce(api, "t" + tenant) ? 1 : 0;
                }
            }

            assertThat(admitted).isEqualTo(12 * 2);
            java.util.Set<String> owners = new java.util.HashSet<>();
            for (int tenant = 0; tenant < 12; tenant++) {
                String key = "keyed:{api:t" + tenant + "}";
                assertThat(commands.exists(key)).isEqualTo(1);
                owners.add(connection.getPartitions().getPartitionBySlot(commands.clusterKeyslot(key).intValue()).getNodeId());
                assertThat(api.find("t" + tenant).orElseThrow().storeStatus().orElseThrow().errors()).isZero();
            }
            assertThat(owners).hasSizeGreaterThan(1); // the keys are spread, not all on one node

            RateLimiter drained = context.getBean(ResilienceRegistries.class).rateLimiters().get("drained");
            assertThat(drained.acquirePermission()).isTrue();
            drained.drainPermissions();
            assertThat(drained.acquirePermission()).isFalse();
            assertThat(drained.storeStatus().orElseThrow().errors()).isZero();
        }
    }

    private static boolean admittedOnce(KeyedPolicy<RateLimiter> keyed, String key) {
        try {
            keyed.call(key, () -> "ran");
            return true;
        } catch (RequestNotPermittedException e) {
            return false;
        }
    }
}

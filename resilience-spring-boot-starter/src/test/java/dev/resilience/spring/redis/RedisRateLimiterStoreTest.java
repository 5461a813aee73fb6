package dev.resilience.spring.redis;

import dev.resilience.spi.Admission;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store's script and the answer it gives, on a real Redis without an application around it: each of the script's
 * three answers (a permit now, a permit after a wait, a refusal) decoded as such, and the value it keeps in Redis.
 */
class RedisRateLimiterStoreTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static LocalRedis redis;
    private static LettuceConnectionFactory connectionFactory;
    private static RedisScripts scripts;
    private static RedisRateLimiterStore store;
    private static RedisCommands<String, String> commands;

    private final String name = "store-" + UUID.randomUUID();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = LocalRedis.start();
        connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
        connectionFactory.afterPropertiesSet();
        connectionFactory.start();
        scripts = new RedisScripts(connectionFactory);
        store = new RedisRateLimiterStore(scripts, "test:", Duration.ofSeconds(5));
        commands = redis.commands();
    }

    @AfterAll
    static void stopRedis() {
        if (scripts != null) {
            scripts.destroy();
        }
        if (connectionFactory != null) {
            connectionFactory.destroy();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static Admission acquire(String key, int limit, long periodNanos, long maxWaitNanos) throws Exception {
        return store.acquire(key, limit, periodNanos, maxWaitNanos).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static long redisMicros() {
        List<String> time = commands.time();
        return Long.parseLong(time.get(0)) * 1_000_000L + Long.parseLong(time.get(1));
    }

    @Test
    void permitInTheCurrentWindowComesAtOnceWithThePermitsLeftInIt() throws Exception {
        long hour = TimeUnit.HOURS.toNanos(1);
        long before = redisMicros();
        Admission first = acquire(name, 3, hour, 0);
        Admission second = acquire(name, 3, hour, 0);
        long after = redisMicros();

        if (after / 3_600_000_000L == before / 3_600_000_000L) { // not across the hour on Redis's clock
            assertThat(first.isGranted()).isTrue();
            assertThat(first.waitNanos()).isZero();
            assertThat(first.remaining()).isEqualTo(2);
            assertThat(second.remaining()).isEqualTo(1);
        }
    }

    @Test
    void callerFindingTheWindowFullWaitsForTheNextOneWithinItsLongestWait() throws Exception {
        long period = 10 * SECOND;
        long before = redisMicros();
        Admission first = acquire(name, 1, period, 20 * SECOND);
        Admission second = acquire(name, 1, period, 20 * SECOND);
        long after = redisMicros();

        assertThat(first.isGranted()).isTrue();
        assertThat(second.isGranted()).isTrue();
        if (after / 10_000_000L == before / 10_000_000L) { // the window did not turn in between on Redis's clock
            assertThat(first.waitNanos()).isZero();
            assertThat(second.waitNanos()).isPositive().isLessThanOrEqualTo(period);
            assertThat(second.remaining()).isZero();
        }
    }

    @Test
    void callerFindingTheWindowFullWithoutAWaitIsRefusedUntilTheWindowTurns() throws Exception {
        long period = 10 * SECOND;
        acquire(name, 1, period, 0);
        Admission refused = acquire(name, 1, period, 0);
        Admission again = acquire(name, 1, period, 0);

        // The first call may have been the last of a window, the second then the first of the next: one of the two
        // later calls is refused either way.
        Admission seen = refused.isGranted() ? again : refused;
        assertThat(seen.isGranted()).isFalse();
        assertThat(seen.retryAfterNanos()).isPositive().isLessThanOrEqualTo(period);
    }

    @Test
    void refusalWritesNothing() throws Exception {
        long day = TimeUnit.DAYS.toNanos(1);
        acquire(name, 1, day, 0);
        String kept = commands.get(store.redisKey(name));

        Admission refused = acquire(name, 1, day, 0);

        if (!refused.isGranted()) { // not across midnight UTC on Redis's clock
            assertThat(commands.get(store.redisKey(name))).isEqualTo(kept);
        }
    }

    @Test
    void keyHoldsTheWindowAndItsPermitsReadablyWithAnExpiry() throws Exception {
        long period = TimeUnit.HOURS.toNanos(1);
        long before = redisMicros();
        acquire(name, 5, period, 0);
        acquire(name, 5, period, 0);
        long after = redisMicros();

        long window = before / 3_600_000_000L;
        if (after / 3_600_000_000L == window) {
            assertThat(commands.get(store.redisKey(name))).isEqualTo(window + ":2");
        }
        // The end of the window (at most an hour away) plus one second.
        assertThat(commands.pttl(store.redisKey(name))).isBetween(1L, 3_601_000L);
    }

    @Test
    void keyHoldingSomethingElseFailsTheAcquisitionNamingTheKey() {
        commands.set(store.redisKey(name), "not ours");

        assertThatThrownBy(() -> acquire(name, 1, SECOND, 0))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("not a rate limiter window: " + store.redisKey(name));
        assertThat(commands.get(store.redisKey(name))).isEqualTo("not ours");
    }
}

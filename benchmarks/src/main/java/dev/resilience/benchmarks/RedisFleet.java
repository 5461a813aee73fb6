package dev.resilience.benchmarks;

import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterMetrics;
import dev.resilience.ratelimiter.StoreStatus;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.redis.RedisRateLimiterStore;
import dev.resilience.spring.redis.ResilienceRedisAutoConfiguration;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One trial's Redis and application: {@code redis-server} from the PATH on a free loopback port, and a non-web Spring
 * Boot application on it with our starter and Spring Boot's Redis auto-configuration (Lettuce), whose rate limiter
 * "fleet" has {@code store: redis} and a limit it never reaches (10^9 per second, timeout 0, deny on store failure, so
 * that a failure shows as a refusal, which {@link #close()} reports). The PING goes over the same shared native Lettuce
 * connection the store's script runs on.
 */
final class RedisFleet implements AutoCloseable {

    private final RedisServer redis;
    private final ConfigurableApplicationContext context;
    private final RedisConnection connection;
    final RateLimiter limiter;
    final RedisRateLimiterStore store;
    final BaseRedisAsyncCommands<byte[], byte[]> commands;
    private final String emptyScriptSha;

    private static final byte[][] EMPTY_SCRIPT_KEYS = {"rl:{empty}".getBytes(StandardCharsets.US_ASCII)};
    private static final byte[][] EMPTY_SCRIPT_ARGS = {
            "1000000000".getBytes(StandardCharsets.US_ASCII),
            "1000000".getBytes(StandardCharsets.US_ASCII),
            "0".getBytes(StandardCharsets.US_ASCII)};

    /** The application: Spring Boot's Redis and our starter with its Redis store, nothing else. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({DataRedisAutoConfiguration.class, ResilienceRedisAutoConfiguration.class,
            ResilienceAutoConfiguration.class})
    static class App {
    }

    @SuppressWarnings("unchecked")
    RedisFleet() throws Exception {
        redis = RedisServer.start();
        try {
            context = new SpringApplicationBuilder(App.class)
                    .web(WebApplicationType.NONE)
                    .bannerMode(Banner.Mode.OFF)
                    .logStartupInfo(false)
                    .properties(
                            "logging.level.root=warn",
                            "spring.data.redis.host=127.0.0.1",
                            "spring.data.redis.port=" + redis.port(),
                            "resilience.ratelimiter.redis.command-timeout=1s",
                            "resilience.ratelimiter.instances.fleet.store=redis",
                            "resilience.ratelimiter.instances.fleet.limit-for-period=1000000000",
                            "resilience.ratelimiter.instances.fleet.limit-refresh-period=1s",
                            "resilience.ratelimiter.instances.fleet.timeout-duration=0s",
                            "resilience.ratelimiter.instances.fleet.on-store-failure=deny")
                    .run();
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        limiter = context.getBean(ResilienceRegistries.class).rateLimiters().get("fleet");
        store = context.getBean(RedisRateLimiterStore.class);
        connection = context.getBean(LettuceConnectionFactory.class).getConnection();
        commands = (BaseRedisAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
        // Connected and the script loaded before the first measured call (the first acquisition connects).
        for (int i = 0; i < 1_000 && !limiter.acquirePermission(); i++) {
            Thread.sleep(10);
        }
        emptyScriptSha = ((RedisScriptingAsyncCommands<byte[], byte[]>) commands)
                .scriptLoad("return 1".getBytes(StandardCharsets.US_ASCII)).get(1, TimeUnit.SECONDS);
        ping();
        check();
    }

    /** @return 1, from a script that does nothing, sent as the store sends its own */
    Long emptyScript() throws Exception {
        return ((RedisScriptingAsyncCommands<byte[], byte[]>) commands).<Long>evalsha(emptyScriptSha,
                ScriptOutputType.INTEGER, EMPTY_SCRIPT_KEYS, EMPTY_SCRIPT_ARGS).get(1, TimeUnit.SECONDS);
    }

    /** @return PONG, after one round trip on the shared connection */
    String ping() throws Exception {
        return commands.ping().get(1, TimeUnit.SECONDS);
    }

    /** Fails the trial if any acquisition was refused or the store failed: it would not have measured Redis. */
    private void check() {
        RateLimiterMetrics metrics = limiter.metrics();
        StoreStatus status = limiter.storeStatus().orElseThrow();
        if (metrics.rejectedCalls() > 0 || status.errors() > 0) {
            throw new IllegalStateException("the Redis rate limiter refused " + metrics.rejectedCalls()
                    + " acquisitions, its store failed " + status.errors() + " times (last: " + status.lastError()
                    + "): the figures measured refusals, not Redis");
        }
    }

    @Override
    public void close() {
        try {
            check();
        } finally {
            try {
                connection.close();
                context.close();
            } finally {
                redis.close();
            }
        }
    }
}

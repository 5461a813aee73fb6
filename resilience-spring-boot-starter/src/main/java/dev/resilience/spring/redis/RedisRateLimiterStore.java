package dev.resilience.spring.redis;

import dev.resilience.spi.Admission;
import dev.resilience.spi.RateLimiterStore;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A {@link RateLimiterStore} on Redis, over Spring Boot's Lettuce connection: every instance of a service that uses
 * the same Redis, key prefix and limiter name (and key) shares one limit.
 *
 * <p><b>Drain.</b> {@link #drain} marks the current window full with a second script ({@link #DRAIN_SCRIPT}), so
 * that {@code RateLimiter.drainPermissions()} on one instance refuses the next call on every instance until the window
 * turns.
 *
 * <p><b>One round trip per call.</b> One Lua script ({@link #SCRIPT}) decides atomically, by {@code EVALSHA}; a Redis
 * that does not know the script (restarted, {@code SCRIPT FLUSH}, a fail-over) answers {@code NOSCRIPT} and the
 * store sends it once by {@code EVAL}, which also caches it again.
 *
 * <p><b>Server time.</b> The script reads Redis's {@code TIME}, so the instances' clocks do not matter. Periods are
 * fixed windows on Redis's clock ({@code floor(now / period)}); each admits at most {@code limitForPeriod}. A caller
 * that finds its window full reserves a permit of the next window with room, if that window begins within its
 * longest wait; it is then told to wait until it begins. A refusal writes nothing.
 *
 * <p><b>Keys.</b> One hash per limiter: {@code <key-prefix>{<name>}}, and per key of a keyed limiter
 * ({@code @RateLimited(key = ...)}): {@code <key-prefix>{<name>:<key>}} (the key's string form), with fields {@code w}
 * (the window holding the latest reservation) and {@code n} (permits taken in it). The braces are a Redis Cluster hash
 * tag, so that anything the store may keep for one limiter (or one key) stays on one slot, while the keys of a keyed
 * limiter spread over the cluster. Every write sets an expiry: the end of the reserved window plus one second, so an
 * idle limiter or key leaves nothing behind.
 *
 * <p><b>Connection.</b> Lettuce's shared, thread-safe connection (see {@link RedisScripts}): a connection attempt never
 * blocks a caller. A request that timed out may still reach Redis later (Lettuce queues commands while it reconnects):
 * it is then counted without a caller, so the fleet admits fewer, never more.
 *
 * <p>Thread-safe; no thread of its own.
 */
public final class RedisRateLimiterStore implements RateLimiterStore {

    /**
     * Both scripts' start: Redis's time in microseconds ({@code now}), {@code limit} and {@code period} from ARGV[1]
     * and ARGV[2], the current window's number ({@code current}), and the hash's window {@code w} and count {@code n}
     * (nil when absent).
     */
    private static final String READ_WINDOW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local limit = tonumber(ARGV[1])
            local period = tonumber(ARGV[2])
            local current = math.floor(now / period)
            local state = redis.call('HMGET', KEYS[1], 'w', 'n')
            local w = tonumber(state[1])
            local n = tonumber(state[2])
            """;

    /**
     * KEYS[1]: the limiter's hash. ARGV: limit, period (microseconds), longest wait (microseconds). Answers
     * {@code {1, wait, remaining}} for a permit (after {@code wait} microseconds) or {@code {-1, retryAfter, 0}}.
     */
    static final String SCRIPT = READ_WINDOW + """
            if w == nil or n == nil or w < current then
              w = current
              n = 0
            end
            if n >= limit then
              w = w + 1
              n = 0
            end
            local wait = w * period - now
            if wait < 0 then
              wait = 0
            end
            if wait > tonumber(ARGV[3]) then
              return {-1, (current + 1) * period - now, 0}
            end
            n = n + 1
            redis.call('HSET', KEYS[1], 'w', w, 'n', n)
            redis.call('PEXPIRE', KEYS[1], math.ceil(((w + 1) * period - now) / 1000) + 1000)
            local remaining = 0
            if w == current then
              remaining = limit - n
            end
            return {1, wait, remaining}
            """;

    static final String SCRIPT_SHA = RedisScripts.Script.of(SCRIPT).sha();

    /**
     * Drains the current window: KEYS[1]: the limiter's hash. ARGV: limit, period (microseconds). Marks the current
     * window full ({@code n = limit}), so that the next acquisition anywhere finds it so and is refused, or reserves a
     * permit of a later window within its wait. A hash already holding a later window (its current one is full, and
     * callers reserved beyond it) is left as it is, and so is a full window. Sets the expiry an acquisition would.
     * Answers {@code {drained}}, the free permits taken away.
     */
    static final String DRAIN_SCRIPT = READ_WINDOW + """
            if w ~= nil and n ~= nil and w > current then
              return {0}
            end
            if w == nil or n == nil or w < current then
              n = 0
            end
            if n >= limit then
              return {0}
            end
            redis.call('HSET', KEYS[1], 'w', current, 'n', limit)
            redis.call('PEXPIRE', KEYS[1], math.ceil(((current + 1) * period - now) / 1000) + 1000)
            return {limit - n}
            """;

    private static final RedisScripts.Script ACQUIRE = RedisScripts.Script.of(SCRIPT);

    private static final RedisScripts.Script DRAIN = RedisScripts.Script.of(DRAIN_SCRIPT);

    private final RedisScripts scripts;
    private final String keyPrefix;
    private final Duration commandTimeout;

    /**
     * @param scripts runs the script on Spring Boot's Lettuce connection
     * @param keyPrefix put before every key, e.g. {@code resilience:ratelimiter:}
     * @param commandTimeout how long a limiter waits for an answer; positive
     */
    RedisRateLimiterStore(RedisScripts scripts, String keyPrefix, Duration commandTimeout) {
        this.scripts = Objects.requireNonNull(scripts, "scripts");
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** @return the Redis key counting the limiter (or limiter and key) {@code key} */
    public String redisKey(String key) {
        return keyPrefix + "{" + key + "}";
    }

    @Override
    public CompletionStage<Admission> acquire(String key, int limitForPeriod, long periodNanos, long maxWaitNanos) {
        byte[][] keys = {RedisScripts.bytes(redisKey(key))};
        byte[][] args = {
                RedisScripts.bytes(limitForPeriod),
                RedisScripts.bytes(Math.max(1, ceilDiv(periodNanos, 1_000L))),
                RedisScripts.bytes(maxWaitNanos / 1_000L)};
        return scripts.run(ACQUIRE, keys, args).thenApply(RedisRateLimiterStore::admission);
    }

    /**
     * Drains the current window of the limiter (or key) for every instance, with {@link #DRAIN_SCRIPT}: one round
     * trip, on Redis's clock.
     */
    @Override
    public CompletionStage<Void> drain(String key, int limitForPeriod, long periodNanos) {
        byte[][] keys = {RedisScripts.bytes(redisKey(key))};
        byte[][] args = {RedisScripts.bytes(limitForPeriod), RedisScripts.bytes(Math.max(1, ceilDiv(periodNanos, 1_000L)))};
        return scripts.run(DRAIN, keys, args).thenApply(answer -> {
            if (answer == null || answer.size() != 1) {
                throw new IllegalStateException("unexpected answer from the drain script: " + answer);
            }
            return null;
        });
    }

    private static Admission admission(List<Object> answer) {
        if (answer == null || answer.size() != 3) {
            throw new IllegalStateException("unexpected answer from the rate limiter script: " + answer);
        }
        long code = (Long) answer.get(0);
        long micros = (Long) answer.get(1);
        if (code < 0) {
            return Admission.refused(micros * 1_000L);
        }
        return micros > 0 ? Admission.afterWait(micros * 1_000L) : Admission.granted((int) (long) (Long) answer.get(2));
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    @Override
    public String toString() {
        return "RedisRateLimiterStore{keyPrefix='" + keyPrefix + "', commandTimeout=" + commandTimeout + '}';
    }
}

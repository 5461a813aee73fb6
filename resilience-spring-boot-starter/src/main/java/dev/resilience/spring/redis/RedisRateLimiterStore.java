package dev.resilience.spring.redis;

import dev.resilience.spi.Admission;
import dev.resilience.spi.RateLimiterStore;
import io.lettuce.core.ScriptOutputType;

import java.time.Duration;
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
 * <p><b>Keys.</b> One string per limiter: {@code <key-prefix>{<name>}}, and per key of a keyed limiter
 * ({@code @RateLimited(key = ...)}): {@code <key-prefix>{<name>:<key>}} (the key's string form), holding
 * {@code <w>:<n>}: the window holding the latest reservation ({@code floor(time / period)} on Redis's clock, in
 * microseconds) and the permits taken in it, e.g. {@code 1796331811:3}. One string rather than a hash because it is
 * read with one {@code GET} and written, with its expiry, by one {@code SET ... PX}: three Redis calls per run, the
 * script's cost inside Redis. The braces are a Redis Cluster hash tag, so that anything the store may keep for one
 * limiter (or one key) stays on one slot, while the keys of a keyed limiter spread over the cluster. Every write sets
 * an expiry: the end of the reserved window plus one second, so an idle limiter or key leaves nothing behind.
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
     * and ARGV[2], the current window's number ({@code current}), and the window {@code w} holding the latest
     * reservation with the permits {@code n} taken in it: the key's own when it holds the current window or a later
     * one, otherwise the current window with none taken. Arithmetic coerces the strings: each function call in a
     * script costs about a microsecond on a slow machine, and the script runs once per acquisition.
     */
    private static final String READ_WINDOW = """
            local t = redis.call('TIME')
            local now = t[1] * 1000000 + t[2]
            local limit = ARGV[1] + 0
            local period = ARGV[2] + 0
            local current = math.floor(now / period)
            local w = current
            local n = 0
            local state = redis.call('GET', KEYS[1])
            if state then
              local seen, taken = string.match(state, '^(%d+):(%d+)$')
              if not seen then
                return redis.error_reply('ERR not a rate limiter window: ' .. KEYS[1])
              end
              seen = seen + 0
              if seen >= current then
                w = seen
                n = taken + 0
              end
            end
            """;

    /**
     * KEYS[1]: the limiter's key. ARGV: limit, period (microseconds), longest wait (microseconds). Answers one
     * integer, so that neither Redis nor the client builds a list per call: {@code r >= 0}, a permit now with
     * {@code r} left in the window; {@code r < 0} and even, a permit after {@code -r / 2} microseconds; {@code r < 0}
     * and odd, a refusal, the window turning in {@code (-r - 1) / 2} microseconds. A permit in the current window
     * never waits, and a later window always does, so the three cannot be confused.
     */
    static final String SCRIPT = READ_WINDOW + """
            if n >= limit then
              w = w + 1
              n = 0
            end
            local wait = w * period - now
            if wait > ARGV[3] + 0 then
              return -2 * ((current + 1) * period - now) - 1
            end
            n = n + 1
            redis.call('SET', KEYS[1], string.format('%d:%d', w, n), 'PX', math.ceil(((w + 1) * period - now) / 1000) + 1000)
            if wait > 0 then
              return -2 * wait
            end
            return limit - n
            """;

    static final String SCRIPT_SHA = RedisScripts.Script.of(SCRIPT).sha();

    /**
     * Drains the current window: KEYS[1]: the limiter's key. ARGV: limit, period (microseconds). Marks the current
     * window full ({@code n = limit}), so that the next acquisition anywhere finds it so and is refused, or reserves a
     * permit of a later window within its wait. A key already holding a later window (its current one is full, and
     * callers reserved beyond it) is left as it is, and so is a full window. Sets the expiry an acquisition would.
     * Answers the free permits taken away.
     */
    static final String DRAIN_SCRIPT = READ_WINDOW + """
            if w > current or n >= limit then
              return 0
            end
            redis.call('SET', KEYS[1], string.format('%d:%d', current, limit), 'PX', math.ceil(((current + 1) * period - now) / 1000) + 1000)
            return limit - n
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
        return scripts.<Long>run(ACQUIRE, ScriptOutputType.INTEGER, keys, args).thenApply(RedisRateLimiterStore::admission);
    }

    /**
     * Drains the current window of the limiter (or key) for every instance, with {@link #DRAIN_SCRIPT}: one round
     * trip, on Redis's clock.
     */
    @Override
    public CompletionStage<Void> drain(String key, int limitForPeriod, long periodNanos) {
        byte[][] keys = {RedisScripts.bytes(redisKey(key))};
        byte[][] args = {RedisScripts.bytes(limitForPeriod), RedisScripts.bytes(Math.max(1, ceilDiv(periodNanos, 1_000L)))};
        return scripts.<Long>run(DRAIN, ScriptOutputType.INTEGER, keys, args).thenApply(answer -> {
            if (answer == null) {
                throw new IllegalStateException("unexpected answer from the drain script: " + answer);
            }
            return null;
        });
    }

    private static Admission admission(Long answer) {
        if (answer == null) {
            throw new IllegalStateException("no answer from the rate limiter script");
        }
        long code = answer;
        if (code >= 0) {
            return Admission.granted((int) code);
        }
        long micros = -code / 2;
        return (code & 1) == 0 ? Admission.afterWait(micros * 1_000L) : Admission.refused(micros * 1_000L);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    @Override
    public String toString() {
        return "RedisRateLimiterStore{keyPrefix='" + keyPrefix + "', commandTimeout=" + commandTimeout + '}';
    }
}

package dev.resilience.spring.redis;

import dev.resilience.spi.RetryBudgetStore;
import io.lettuce.core.ScriptOutputType;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A {@link RetryBudgetStore} on Redis: a retry budget group with {@code budget.store: redis} is one budget for every
 * instance that uses the same Redis, key prefix and group. Instances sync in the background (every
 * {@code resilience.retry.redis.sync-interval}); a first attempt never waits for Redis.
 *
 * <p>One Lua script per sync ({@link #SCRIPT}, by {@code EVALSHA}), on Redis's clock ({@code TIME}): it adds the
 * counts reported to the current second's buckets, sums the window (dropping older buckets), and grants the instance a
 * lease of {@code ceil(slack / live instances)} retries, the slack being the budget less the retries counted and the
 * other instances' live leases. Three hashes per group, {@code <key-prefix>{<group>}:first}, {@code :retries} and
 * {@code :leases}, on one Redis Cluster slot (the hash tag), each expiring a little after the window.
 *
 * <p>Thread-safe.
 */
public final class RedisRetryBudgetStore implements RetryBudgetStore {

    /**
     * KEYS: first attempts by second, retries by second, leases by instance ({@code amount:expiresAtSecond}). ARGV:
     * window (s), ratio, floor per second, instance id, first attempts and retries to add, lease lifetime (s).
     * Answers {@code {lease, firstAttempts, retries, allowed}}.
     */
    static final String SCRIPT = """
            local now = tonumber(redis.call('TIME')[1])
            local window = tonumber(ARGV[1])
            local oldest = now - window + 1
            local firsts = tonumber(ARGV[5])
            local retries = tonumber(ARGV[6])
            if firsts > 0 then
              redis.call('HINCRBY', KEYS[1], now, firsts)
            end
            if retries > 0 then
              redis.call('HINCRBY', KEYS[2], now, retries)
            end
            local function total(key)
              local sum = 0
              local all = redis.call('HGETALL', key)
              for i = 1, #all, 2 do
                if tonumber(all[i]) < oldest then
                  redis.call('HDEL', key, all[i])
                else
                  sum = sum + tonumber(all[i + 1])
                end
              end
              return sum
            end
            local first = total(KEYS[1])
            local used = total(KEYS[2])
            local allowed = math.floor(tonumber(ARGV[2]) * first + tonumber(ARGV[3]) * window)
            local others = 0
            local live = 1
            local leases = redis.call('HGETALL', KEYS[3])
            for i = 1, #leases, 2 do
              if leases[i] ~= ARGV[4] then
                local amount, expires = string.match(leases[i + 1], '(%d+):(%d+)')
                if tonumber(expires) < now then
                  redis.call('HDEL', KEYS[3], leases[i])
                else
                  others = others + tonumber(amount)
                  live = live + 1
                end
              end
            end
            local slack = allowed - used - others
            local lease = 0
            if slack > 0 then
              lease = math.ceil(slack / live)
            end
            local ttl = tonumber(ARGV[7])
            redis.call('HSET', KEYS[3], ARGV[4], lease .. ':' .. (now + ttl))
            for i = 1, 3 do
              redis.call('EXPIRE', KEYS[i], window + ttl + 1)
            end
            return {lease, first, used, allowed}
            """;

    private static final RedisScripts.Script SYNC = RedisScripts.Script.of(SCRIPT);

    private final RedisScripts scripts;
    private final String keyPrefix;

    /**
     * @param scripts runs the script on Spring Boot's Lettuce connection
     * @param keyPrefix put before every key, e.g. {@code resilience:retry-budget:}
     */
    RedisRetryBudgetStore(RedisScripts scripts, String keyPrefix) {
        this.scripts = Objects.requireNonNull(scripts, "scripts");
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    }

    @Override
    public String name() {
        return "redis";
    }

    /** @return the hash-tagged part every key of {@code group} starts with */
    public String redisKey(String group) {
        return keyPrefix + "{" + group + "}";
    }

    @Override
    public CompletionStage<Lease> sync(String group, String instanceId, double ratio, int windowSeconds,
                                       double minRetriesPerSecond, long firstAttempts, long retries, int leaseSeconds) {
        String key = redisKey(group);
        byte[][] keys = {RedisScripts.bytes(key + ":first"), RedisScripts.bytes(key + ":retries"),
                RedisScripts.bytes(key + ":leases")};
        byte[][] args = {RedisScripts.bytes(windowSeconds), RedisScripts.bytes(ratio),
                RedisScripts.bytes(minRetriesPerSecond), RedisScripts.bytes(instanceId), RedisScripts.bytes(firstAttempts),
                RedisScripts.bytes(retries), RedisScripts.bytes(leaseSeconds)};
        return scripts.<List<Object>>run(SYNC, ScriptOutputType.MULTI, keys, args).thenApply(RedisRetryBudgetStore::lease);
    }

    private static Lease lease(List<Object> answer) {
        if (answer == null || answer.size() != 4) {
            throw new IllegalStateException("unexpected answer from the retry budget script: " + answer);
        }
        return new Lease((Long) answer.get(0), (Long) answer.get(1), (Long) answer.get(2), (Long) answer.get(3));
    }

    @Override
    public String toString() {
        return "RedisRetryBudgetStore{keyPrefix='" + keyPrefix + "'}";
    }
}

package dev.resilience.spring.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the stores' Lua scripts on Spring Boot's Lettuce connection: {@code EVALSHA}, and {@code EVAL} once when Redis
 * answers {@code NOSCRIPT} (restarted, {@code SCRIPT FLUSH}, a fail-over), which also caches the script again.
 *
 * <p><b>Connection.</b> Lettuce's shared, thread-safe connection (standalone, sentinel or cluster; on a cluster a
 * script goes to the node of its keys' slot), obtained on first use on a thread of its own: a connection attempt may
 * take the client's connect timeout, which no caller should wait for (the callers' own timeouts bound their wait). A
 * failed attempt is forgotten, so the next use tries again. Once connected, Lettuce reconnects by itself. Thread-safe;
 * no thread of its own but the short-lived connecting one.
 */
final class RedisScripts implements DisposableBean {

    /** A Lua script and its SHA-1, as Redis names it. */
    record Script(String source, String sha) {

        static Script of(String source) {
            try {
                return new Script(source, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                        .digest(source.getBytes(StandardCharsets.UTF_8))));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is required of every Java platform", e);
            }
        }
    }

    /** The connection kept open, and its commands. */
    private record Connected(RedisConnection connection, RedisScriptingAsyncCommands<byte[], byte[]> commands) {
    }

    private final LettuceConnectionFactory connectionFactory;
    private final AtomicReference<CompletableFuture<Connected>> connection = new AtomicReference<>();

    RedisScripts(LettuceConnectionFactory connectionFactory) {
        this.connectionFactory = Objects.requireNonNull(connectionFactory, "connectionFactory");
    }

    /**
     * @param type what the script answers ({@code INTEGER} for one number, {@code MULTI} for a list)
     * @return the script's answer; completes exceptionally on any failure
     */
    <T> CompletionStage<T> run(Script script, ScriptOutputType type, byte[][] keys, byte[][] args) {
        CompletableFuture<Connected> current = connection.get();
        if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
            return evalsha(current.join(), script, type, keys, args);
        }
        return connected().thenCompose(c -> evalsha(c, script, type, keys, args));
    }

    /** One future per run, completed on Lettuce's thread: what a caller waits on is one completion away from Redis. */
    private static <T> CompletionStage<T> evalsha(Connected c, Script script, ScriptOutputType type, byte[][] keys,
                                                  byte[][] args) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        c.commands().<T>evalsha(script.sha(), type, keys, args).whenComplete((value, failure) -> {
            if (failure == null) {
                answer.complete(value);
            } else if (unwrap(failure) instanceof RedisNoScriptException) {
                c.commands().<T>eval(script.source(), type, keys, args).whenComplete((loaded, failed) -> {
                    if (failed == null) {
                        answer.complete(loaded);
                    } else {
                        answer.completeExceptionally(unwrap(failed));
                    }
                });
            } else {
                answer.completeExceptionally(unwrap(failure));
            }
        });
        return answer;
    }

    private CompletableFuture<Connected> connected() {
        CompletableFuture<Connected> current = connection.get();
        if (current != null && !current.isCompletedExceptionally()) {
            return current;
        }
        CompletableFuture<Connected> attempt = new CompletableFuture<>();
        if (!connection.compareAndSet(current, attempt)) {
            return connected();
        }
        Thread connector = new Thread(() -> {
            try {
                attempt.complete(connect());
            } catch (Throwable t) {
                attempt.completeExceptionally(t);
            }
        }, "resilience-redis-connect");
        connector.setDaemon(true);
        connector.start();
        return attempt;
    }

    @SuppressWarnings("unchecked")
    private Connected connect() {
        RedisConnection redis = connectionFactory.isClusterAware()
                ? connectionFactory.getClusterConnection() : connectionFactory.getConnection();
        try {
            Object nativeConnection = redis.getNativeConnection();
            if (!(nativeConnection instanceof RedisScriptingAsyncCommands<?, ?> commands)) {
                throw new IllegalStateException("expected Lettuce's asynchronous commands, got " + nativeConnection);
            }
            return new Connected(redis, (RedisScriptingAsyncCommands<byte[], byte[]>) commands);
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    /** Releases the connection held here (the shared native connection stays the factory's). */
    @Override
    public void destroy() {
        CompletableFuture<Connected> current = connection.getAndSet(null);
        if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
            current.join().connection().close();
        }
    }

    static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] bytes(double value) {
        return Double.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}

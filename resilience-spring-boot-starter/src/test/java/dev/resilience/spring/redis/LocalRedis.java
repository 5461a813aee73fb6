package dev.resilience.spring.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.springframework.context.ApplicationContext;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis server for tests, on a free loopback port: {@code redis-server} from the PATH when there is one,
 * otherwise the server binary that the test-scoped {@code com.github.codemonstur:embedded-redis} package ships (copied
 * out of its jar once per JVM). Stopped by {@link #close()} and, should a test run die first, by a shutdown hook: no
 * server outlives the JVM that started it.
 */
final class LocalRedis implements AutoCloseable {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static volatile Path binary;

    /** Set by the shutdown hook: a server started after it (a test's finally block, say) is stopped at once. */
    private static volatile boolean jvmStopping;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            jvmStopping = true;
            RUNNING.forEach(Process::destroyForcibly);
        }, "local-redis-stopper"));
    }

    private final int port;
    private final List<String> extraArgs;
    private final Path dir;
    private volatile Process process;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    private LocalRedis(int port, List<String> extraArgs) throws IOException {
        this.port = port;
        this.extraArgs = extraArgs;
        this.dir = Files.createTempDirectory("local-redis-");
        dir.toFile().deleteOnExit();
    }

    /** Starts a server on a free loopback port, trying another port if that one was taken meanwhile. */
    static LocalRedis start(String... extraArgs) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            LocalRedis redis = new LocalRedis(freePort(), List.of(extraArgs));
            try {
                redis.startProcess();
                return redis;
            } catch (IOException e) {
                last = e;
                redis.close();
            }
        }
        throw last;
    }

    /**
     * Starts a Redis Cluster node (no slots yet) on a free loopback port whose cluster bus port (the port + 10000) is
     * free too.
     */
    static LocalRedis startClusterNode() throws IOException {
        IOException last = new IOException("no free port pair for a cluster node");
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = freePort();
            if (port + 10_000 > 65_535 || !isFree(port + 10_000)) {
                continue;
            }
            LocalRedis redis = new LocalRedis(port, List.of("--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000"));
            try {
                redis.startProcess();
                return redis;
            } catch (IOException e) {
                last = e;
                redis.close();
            }
        }
        throw last;
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    int port() {
        return port;
    }

    /** @return which binary runs: a path on the PATH or the one copied out of the embedded-redis jar */
    /**
     * Waits until the application's Redis store has connected and answered one acquisition (however long the first
     * connection takes on a busy machine): the tests are about the store, not about connecting.
     *
     * @throws IllegalStateException if it did not answer within 30 s
     */
    static void awaitConnected(ApplicationContext context) {
        try {
            context.getBean(RedisRateLimiterStore.class).acquire("warm-up", 1_000_000, 1_000_000_000L, 0)
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the application's Redis did not answer within 30 s", e);
        }
    }

    static String binaryDescription() throws IOException {
        return binary().toString();
    }

    /** Stops the server (as a crash would: no save) and waits until it is gone. */
    void stop() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            RUNNING.remove(p);
        }
    }

    /** Starts it again on the same port, empty; the next {@link #commands()} connects anew. */
    void restart() throws IOException {
        disconnect();
        stop();
        startProcess();
    }

    /**
     * @return synchronous commands on a connection of the test's own (not the application's), opened on first use and
     *     closed by {@link #close()} or {@link #restart()}
     */
    synchronized RedisCommands<String, String> commands() {
        if (connection == null) {
            if (client == null) {
                client = RedisClient.create("redis://127.0.0.1:" + port);
            }
            connection = client.connect();
        }
        return connection.sync();
    }

    private synchronized void disconnect() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    @Override
    public void close() {
        try {
            disconnect();
            synchronized (this) {
                if (client != null) {
                    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                    client = null;
                }
            }
        } finally {
            stop();
        }
    }

    private void startProcess() throws IOException {
        List<String> command = new ArrayList<>(List.of(binary().toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        command.addAll(extraArgs);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        RUNNING.add(p);
        process = p;
        if (jvmStopping) { // checked after adding, the hook sets it before stopping them all: one of us stops it
            stop();
            throw new IOException("the JVM is shutting down");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                RUNNING.remove(p);
                process = null;
                throw new IOException("redis-server exited with " + p.exitValue() + " on port " + port + ": "
                        + Files.readString(dir.resolve("redis.log")));
            }
            if (answersPing()) {
                return;
            }
            try {
                p.waitFor(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting redis-server", e);
            }
        }
        stop();
        throw new IOException("redis-server did not answer PING on port " + port + " within 20 s");
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] reply = new byte[7];
            int read = socket.getInputStream().read(reply);
            return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException notYet) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path binary() throws IOException {
        Path found = binary;
        if (found == null) {
            synchronized (LocalRedis.class) {
                found = binary;
                if (found == null) {
                    found = onPath();
                    binary = found = found != null ? found : extracted();
                }
            }
        }
        return found;
    }

    private static Path onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The server binary that embedded-redis ships for this machine, copied out of its jar. */
    private static Path extracted() throws IOException {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String resource;
        if (os.contains("linux")) {
            resource = arch.equals("aarch64") || arch.equals("arm64") ? "redis-server-6.2.7-linux-arm64"
                    : arch.equals("x86") || arch.equals("i386") ? "redis-server-6.2.7-linux-386"
                    : "redis-server-6.2.6-v5-linux-amd64";
        } else if (os.contains("mac")) {
            resource = arch.equals("aarch64") ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        } else {
            throw new IOException("no redis-server on the PATH and no embedded binary for " + os + "/" + arch);
        }
        Path target = Files.createTempFile("redis-server-", "");
        target.toFile().deleteOnExit();
        try (InputStream in = LocalRedis.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IOException("no redis-server on the PATH and no " + resource
                        + " on the class path (com.github.codemonstur:embedded-redis)");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!target.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + target + " executable");
        }
        return target;
    }
}

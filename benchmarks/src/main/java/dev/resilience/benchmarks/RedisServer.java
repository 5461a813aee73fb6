package dev.resilience.benchmarks;

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
import java.util.concurrent.TimeUnit;

/**
 * A Redis server for one benchmark trial: {@code redis-server} from the PATH, on a free loopback port, without
 * persistence; stopped by {@link #close()} (and by a shutdown hook should the fork die first).
 */
final class RedisServer implements AutoCloseable {

    private final int port;
    private final Process process;
    private final Thread stopper;

    private RedisServer(int port, Process process) {
        this.port = port;
        this.process = process;
        this.stopper = new Thread(process::destroyForcibly, "redis-server-stopper");
        Runtime.getRuntime().addShutdownHook(stopper);
    }

    /**
     * @return a running server, answering PING
     * @throws IllegalStateException if there is no {@code redis-server} on the PATH, or it does not start
     */
    static RedisServer start() throws IOException, InterruptedException {
        Path binary = findOnPath("redis-server");
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            Process process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            RedisServer server = new RedisServer(port, process);
            try {
                server.awaitPong();
                return server;
            } catch (IOException e) {
                last = e; // e.g. the port was taken meanwhile: try another
                server.close();
            }
        }
        throw new IllegalStateException("redis-server (" + binary + ") did not start on a loopback port", last);
    }

    /** @return the loopback port it listens on */
    int port() {
        return port;
    }

    private void awaitPong() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                socket.setSoTimeout(1_000);
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] reply = in.readNBytes(7);
                if (new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG")) {
                    return;
                }
            } catch (IOException notYet) {
                if (System.nanoTime() - deadline > 0) {
                    throw notYet;
                }
            }
            Thread.sleep(20);
        }
    }

    private static Path findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("The Redis benchmarks start their own Redis, but there is no '" + name
                + "' on the PATH (" + path + "). Install Redis (e.g. 'apt-get install redis-server') or put its "
                + "server binary on the PATH, then run them again.");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway, on a process already stopped
        }
    }
}

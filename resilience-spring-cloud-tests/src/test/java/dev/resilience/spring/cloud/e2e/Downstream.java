package dev.resilience.spring.cloud.e2e;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A downstream service on a free loopback port: {@code GET /stock/<sku>} answers with {@link #status} (and the sku as
 * its body when 200) and counts the requests that reached it. Stopped by {@link #close()}.
 */
final class Downstream implements AutoCloseable {

    final AtomicInteger status = new AtomicInteger(503);
    final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;

    Downstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/stock/", exchange -> {
            requests.incrementAndGet();
            int code = status.get();
            byte[] body = (code == 200 ? exchange.getRequestURI().getPath().substring("/stock/".length()) : "unavailable")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(code, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package dev.resilience.sample.order;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Where the downstreams are: this application's own port on loopback. The port is known only once the web
 * server has started (it may be random: {@code server.port=0}, tests), so URLs are built per call.
 */
@Component
public class DownstreamAddress implements ApplicationListener<WebServerInitializedEvent> {

    private volatile String baseUrl;

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        // A separate management server (management.server.port) has a namespace; the downstreams are not there.
        if (event.getApplicationContext().getServerNamespace() == null) {
            baseUrl = "http://127.0.0.1:" + event.getWebServer().getPort() + "/downstream";
        }
    }

    /**
     * @param pathTemplate a downstream path such as {@code /inventory/{sku}}
     * @return the full URL template
     * @throws IllegalStateException before the web server has started
     */
    public String url(String pathTemplate) {
        String base = baseUrl;
        if (base == null) {
            throw new IllegalStateException("The downstreams are served by this application's web server, which has not started yet");
        }
        return base + pathTemplate;
    }
}

package dev.resilience.sample.order;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import java.util.concurrent.CompletableFuture;

/**
 * Delivery estimates from the shipping service, fetched asynchronously while the other downstreams are
 * asked. The call runs on a thread-pool bulkhead of its own, each attempt is limited by a timeout, and
 * transient failures (5xx) are retried with exponential backoff and jitter. Composed as
 * {@code Retry(Timeout(Bulkhead(method)))}: every attempt gets its own timeout and its own pool slot.
 */
@Component
public class ShippingClient {

    private final RestClient http;
    private final DownstreamAddress address;

    ShippingClient(RestClient downstreamRestClient, DownstreamAddress address) {
        this.http = downstreamRestClient;
        this.address = address;
    }

    /**
     * @param sku article number
     * @return the estimate, completing on the {@code shipping} pool
     */
    @Retry(name = "shipping")
    @Timeout(name = "shipping")
    @Bulkhead(name = "shipping", type = Bulkhead.Type.THREADPOOL)
    public CompletableFuture<ShippingQuote> quote(String sku) {
        // Runs on the bulkhead's pool thread: blocking here is what the pool is for.
        return CompletableFuture.completedFuture(
                http.get().uri(address.url("/shipping/{sku}"), sku).retrieve().body(ShippingQuote.class));
    }
}

package dev.resilience.sample.order;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Stock levels from the inventory service. Without stock there is no honest quote, so this has no
 * fallback: while inventory is failing the breaker opens and callers get a fast 503 with
 * {@code Retry-After} instead of waiting on a broken service.
 */
@Component
public class InventoryClient {

    private final RestClient http;
    private final DownstreamAddress address;

    InventoryClient(RestClient downstreamRestClient, DownstreamAddress address) {
        this.http = downstreamRestClient;
        this.address = address;
    }

    /**
     * Guarded by the {@code inventory} breaker and a semaphore bulkhead of the same name (at most 2 calls at
     * once, so a slow inventory cannot take every request thread with it).
     *
     * @param sku article number
     * @return units in stock
     */
    @CircuitBreaker(name = "inventory")
    @Bulkhead(name = "inventory")
    public Stock stock(String sku) {
        return http.get().uri(address.url("/inventory/{sku}"), sku).retrieve().body(Stock.class);
    }
}

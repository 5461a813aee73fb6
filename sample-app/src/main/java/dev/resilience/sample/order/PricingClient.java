package dev.resilience.sample.order;

import dev.resilience.annotation.CircuitBreaker;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Unit prices from the pricing service. A quote at list price is better than no quote, so this degrades:
 * the fallback answers the list price while pricing fails, and keeps answering it (without calling
 * pricing at all) while the breaker is open.
 */
@Component
public class PricingClient {

    /** What every article costs when pricing cannot tell us better. */
    static final long LIST_PRICE_CENTS = 2499;

    private final RestClient http;
    private final DownstreamAddress address;

    PricingClient(RestClient downstreamRestClient, DownstreamAddress address) {
        this.http = downstreamRestClient;
        this.address = address;
    }

    /**
     * @param sku article number
     * @return today's price, or the list price while pricing is failing
     */
    @CircuitBreaker(name = "pricing", fallbackMethod = "listPrice")
    public Price price(String sku) {
        LivePrice live = http.get().uri(address.url("/pricing/{sku}"), sku).retrieve().body(LivePrice.class);
        return new Price(sku, live.unitPriceCents(), "live");
    }

    /**
     * The fallback: called for pricing's failures and for the breaker's rejections alike.
     *
     * @param sku article number
     * @param failure why the live price is unavailable
     * @return the list price
     */
    Price listPrice(String sku, Exception failure) {
        return new Price(sku, LIST_PRICE_CENTS, "list-price");
    }

    /** The pricing service's answer. */
    private record LivePrice(String sku, long unitPriceCents) {
    }
}

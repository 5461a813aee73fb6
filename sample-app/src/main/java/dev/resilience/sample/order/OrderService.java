package dev.resilience.sample.order;

import dev.resilience.annotation.RateLimited;
import org.springframework.stereotype.Service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/** Quotes and places orders from what inventory, pricing and shipping say. */
@Service
public class OrderService {

    private final InventoryClient inventory;
    private final PricingClient pricing;
    private final ShippingClient shipping;
    private final AtomicLong orderNumbers = new AtomicLong(1000);

    OrderService(InventoryClient inventory, PricingClient pricing, ShippingClient shipping) {
        this.inventory = inventory;
        this.pricing = pricing;
        this.shipping = shipping;
    }

    /**
     * Asks shipping first (it answers on its own pool), inventory and pricing meanwhile.
     *
     * @param sku article number
     * @param quantity units, at least 1
     * @return the quote
     * @throws InvalidQuantityException for a quantity under 1
     */
    public Quote quote(String sku, int quantity) {
        if (quantity < 1) {
            throw new InvalidQuantityException(quantity);
        }
        CompletableFuture<ShippingQuote> delivery = shipping.quote(sku);
        Stock stock = inventory.stock(sku);
        Price price = pricing.price(sku);
        ShippingQuote shippingQuote = join(delivery);
        return new Quote(sku, quantity, stock.available() >= quantity, price.unitPriceCents(), price.source(),
                price.unitPriceCents() * quantity, shippingQuote.days());
    }

    /**
     * A quote for one tenant of a shared API. Rate limited per tenant by the {@code tenant-quotes} limiter (its
     * {@code key} is the tenant): each tenant has its own budget of quotes a minute, so one tenant that spends its
     * budget gets 429 while every other tenant is still served.
     *
     * @param tenant the calling tenant (the limiter's key)
     * @param sku article number
     * @param quantity units, at least 1
     * @return the quote
     */
    @RateLimited(name = "tenant-quotes", key = "#tenant")
    public Quote quoteFor(String tenant, String sku, int quantity) {
        return quote(sku, quantity);
    }

    /**
     * Places an order at the quoted price. Rate limited by the {@code orders} limiter: the warehouse takes
     * only so many orders a minute, and over that a caller gets 429 with {@code Retry-After}.
     *
     * @param request what to order
     * @return the order
     * @throws OutOfStockException when inventory has fewer units than asked for
     */
    @RateLimited(name = "orders")
    public Order place(OrderRequest request) {
        Quote quote = quote(request.sku(), request.quantity());
        if (!quote.inStock()) {
            throw new OutOfStockException(request.sku(), request.quantity());
        }
        return new Order("ORD-" + orderNumbers.incrementAndGet(), quote);
    }

    /** Waits for an asynchronous answer and rethrows its failure as it is, so the web layer can map it. */
    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}

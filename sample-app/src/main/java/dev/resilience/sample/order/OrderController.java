package dev.resilience.sample.order;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /orders/quote?sku=ABC-1&quantity=2}, {@code GET /orders/tenants/{tenant}/quote?sku=ABC-1} and
 * {@code POST /orders}. Resilience rejections that reach
 * here become problem responses (503, 429, 504) through the starter; downstream failures become 502 through
 * {@link OrderErrors}.
 */
@RestController
@RequestMapping("/orders")
class OrderController {

    private final OrderService orders;

    OrderController(OrderService orders) {
        this.orders = orders;
    }

    /**
     * @param sku article number
     * @param quantity units, 1 unless given
     * @return the quote
     */
    @GetMapping("/quote")
    Quote quote(@RequestParam String sku, @RequestParam(defaultValue = "1") int quantity) {
        return orders.quote(sku, quantity);
    }

    /**
     * {@code GET /orders/tenants/acme/quote?sku=ABC-1}: a quote limited per tenant (429 once that tenant's budget is
     * spent; other tenants are unaffected).
     *
     * @param tenant the calling tenant
     * @param sku article number
     * @param quantity units, 1 unless given
     * @return the quote
     */
    @GetMapping("/tenants/{tenant}/quote")
    Quote tenantQuote(@PathVariable String tenant, @RequestParam String sku, @RequestParam(defaultValue = "1") int quantity) {
        return orders.quoteFor(tenant, sku, quantity);
    }

    /**
     * @param request what to order
     * @return the order, with 201
     */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Order place(@RequestBody OrderRequest request) {
        return orders.place(request);
    }
}

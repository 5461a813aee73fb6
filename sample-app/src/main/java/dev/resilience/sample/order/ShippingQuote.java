package dev.resilience.sample.order;

/**
 * Shipping's answer.
 *
 * @param sku article number
 * @param days days to deliver
 */
public record ShippingQuote(String sku, int days) {
}

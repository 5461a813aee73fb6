package dev.resilience.sample.order;

/**
 * The body of {@code POST /orders}.
 *
 * @param sku article number
 * @param quantity units, at least 1
 */
public record OrderRequest(String sku, int quantity) {
}

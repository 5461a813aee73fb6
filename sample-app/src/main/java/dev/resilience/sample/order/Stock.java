package dev.resilience.sample.order;

/**
 * Inventory's answer.
 *
 * @param sku article number
 * @param available units in stock
 */
public record Stock(String sku, int available) {
}

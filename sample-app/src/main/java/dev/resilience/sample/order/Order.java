package dev.resilience.sample.order;

/**
 * A placed order.
 *
 * @param id order number
 * @param quote what was agreed
 */
public record Order(String id, Quote quote) {
}

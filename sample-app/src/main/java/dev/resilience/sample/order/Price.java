package dev.resilience.sample.order;

/**
 * A unit price and where it came from.
 *
 * @param sku article number
 * @param unitPriceCents price of one unit
 * @param source {@code live} (from pricing) or {@code list-price} (the fallback while pricing is failing)
 */
public record Price(String sku, long unitPriceCents, String source) {
}

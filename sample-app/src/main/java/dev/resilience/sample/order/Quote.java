package dev.resilience.sample.order;

/**
 * What an order would cost and when it would arrive.
 *
 * @param sku article number
 * @param quantity units asked for
 * @param inStock whether inventory has that many
 * @param unitPriceCents price of one unit
 * @param priceSource {@code live}, or {@code list-price} when pricing is failing (degraded, not down)
 * @param totalCents quantity times unit price
 * @param shippingDays days to deliver
 */
public record Quote(String sku, int quantity, boolean inStock, long unitPriceCents, String priceSource,
        long totalCents, int shippingDays) {
}

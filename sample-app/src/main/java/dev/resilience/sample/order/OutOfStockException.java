package dev.resilience.sample.order;

/** Inventory has fewer units than an order asks for. */
public class OutOfStockException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param sku article number
     * @param quantity units asked for
     */
    public OutOfStockException(String sku, int quantity) {
        super("Fewer than " + quantity + " unit(s) of " + sku + " in stock");
    }
}

package dev.resilience.sample.order;

/** An order or quote for fewer than one unit. */
public class InvalidQuantityException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * @param quantity the quantity asked for
     */
    public InvalidQuantityException(int quantity) {
        super("quantity is " + quantity + " but must be at least 1");
    }
}

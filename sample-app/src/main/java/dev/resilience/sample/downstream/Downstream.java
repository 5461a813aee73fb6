package dev.resilience.sample.downstream;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The remote services the order service depends on; each can be broken on its own. */
public enum Downstream {
    /** Stock levels. */
    INVENTORY,
    /** Unit prices. */
    PRICING,
    /** Delivery estimates. */
    SHIPPING;

    /** @return the lower-case name used in URLs and JSON ({@code inventory}, ...) */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param id a lower-case name as in {@code /chaos/{id}}
     * @return the downstream of that name, if any
     */
    public static Optional<Downstream> byId(String id) {
        return Arrays.stream(values()).filter(d -> d.id().equals(id)).findFirst();
    }
}

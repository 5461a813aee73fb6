package dev.resilience.spring.cloud.e2e;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The fallback of {@link InventoryService}: Spring Cloud instantiates it itself (it is not a bean) and calls the
 * method of the same name whose parameters are the cause followed by the service method's own.
 */
public class InventoryServiceFallback {

    /** What each fallback call received, in order. */
    static final List<Throwable> CAUSES = new CopyOnWriteArrayList<>();

    public String stock(Throwable cause, String sku) {
        CAUSES.add(cause);
        return "fallback " + sku;
    }
}

package dev.resilience.spring.cloud.e2e;

import org.springframework.cloud.openfeign.FallbackFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Gives {@link InventoryClient} a fallback per failure, recording the cause each received. */
public class InventoryClientFallbackFactory implements FallbackFactory<InventoryClient> {

    /** What each fallback received, in order. */
    final List<Throwable> causes = new CopyOnWriteArrayList<>();

    @Override
    public InventoryClient create(Throwable cause) {
        return sku -> {
            causes.add(cause);
            return "fallback " + sku;
        };
    }
}

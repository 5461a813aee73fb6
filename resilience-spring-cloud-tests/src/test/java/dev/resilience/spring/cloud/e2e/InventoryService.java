package dev.resilience.spring.cloud.e2e;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;

/** The downstream as an HTTP service interface, in the service group {@code inventory}. */
@HttpExchange("/stock")
public interface InventoryService {

    @GetExchange("/{sku}")
    String stock(@PathVariable String sku);
}

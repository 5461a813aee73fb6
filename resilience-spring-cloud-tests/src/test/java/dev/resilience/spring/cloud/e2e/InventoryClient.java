package dev.resilience.spring.cloud.e2e;

import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** The downstream as an OpenFeign client, whose circuit breakers belong to the group {@code inventory-feign}. */
@FeignClient(name = "inventory-feign", url = "${downstream.url}", fallbackFactory = InventoryClientFallbackFactory.class)
public interface InventoryClient {

    @GetMapping("/stock/{sku}")
    String stock(@PathVariable("sku") String sku);
}

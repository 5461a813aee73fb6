package dev.resilience.sample.downstream;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * Stands in for three remote services, served on loopback by the application itself so the sample needs
 * nothing else running. Each answer first goes through {@link Chaos}.
 */
@RestController
@RequestMapping("/downstream")
class DownstreamController {

    private final Chaos chaos;

    DownstreamController(Chaos chaos) {
        this.chaos = chaos;
    }

    /**
     * @param sku article number
     * @return units in stock
     * @throws InterruptedException when interrupted while delayed by chaos
     */
    @GetMapping("/inventory/{sku}")
    Map<String, Object> inventory(@PathVariable String sku) throws InterruptedException {
        chaos.apply(Downstream.INVENTORY);
        return Map.of("sku", sku, "available", 100);
    }

    /**
     * @param sku article number
     * @return today's unit price
     * @throws InterruptedException when interrupted while delayed by chaos
     */
    @GetMapping("/pricing/{sku}")
    Map<String, Object> pricing(@PathVariable String sku) throws InterruptedException {
        chaos.apply(Downstream.PRICING);
        return Map.of("sku", sku, "unitPriceCents", 1999);
    }

    /**
     * @param sku article number
     * @return days to deliver
     * @throws InterruptedException when interrupted while delayed by chaos
     */
    @GetMapping("/shipping/{sku}")
    Map<String, Object> shipping(@PathVariable String sku) throws InterruptedException {
        chaos.apply(Downstream.SHIPPING);
        return Map.of("sku", sku, "days", 2);
    }
}

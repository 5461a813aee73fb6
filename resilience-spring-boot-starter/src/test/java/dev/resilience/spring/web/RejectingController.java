package dev.resilience.spring.web;

import dev.resilience.ShutdownInProgressException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.concurrent.CompletableFuture;

/** Lets rejections from {@link RejectingService} reach Spring MVC. */
@RestController
public class RejectingController {

    private final RejectingService service;

    RejectingController(RejectingService service) {
        this.service = service;
    }

    @GetMapping("/inventory")
    String inventory() {
        return service.inventory();
    }

    @GetMapping("/async-inventory")
    CompletableFuture<String> asyncInventory() {
        return service.asyncInventory();
    }

    @GetMapping("/search")
    String search() {
        return service.search();
    }

    @GetMapping("/orders")
    String orders() {
        return service.orders();
    }

    @GetMapping("/slow")
    String slow() throws InterruptedException {
        return service.slow();
    }

    /** What an annotated method throws once the application is stopping. */
    @GetMapping("/stopping")
    String stopping() {
        throw new ShutdownInProgressException("reports");
    }
}

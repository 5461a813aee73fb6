package dev.resilience.aspectj;

import dev.resilience.annotation.CircuitBreaker;
import org.springframework.context.annotation.Lazy;

import java.util.concurrent.atomic.AtomicInteger;

/** The proxy-mode way out of the trap: the bean calls its annotated method through a reference to its own proxy. */
public class SelfInjectedService {

    final AtomicInteger fetches = new AtomicInteger();
    private final SelfInjectedService self;

    public SelfInjectedService(@Lazy SelfInjectedService self) {
        this.self = self;
    }

    public String lookup(String sku) {
        return self.fetch(sku);
    }

    @CircuitBreaker(name = "stock")
    public String fetch(String sku) {
        fetches.incrementAndGet();
        throw new IllegalStateException("stock service down for " + sku);
    }
}

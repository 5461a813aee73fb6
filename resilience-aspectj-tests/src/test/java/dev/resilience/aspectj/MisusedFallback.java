package dev.resilience.aspectj;

import dev.resilience.annotation.CircuitBreaker;

import java.util.concurrent.atomic.AtomicInteger;

/** Names a fallback that does not exist: a mistake that fails start-up for a bean, and each call for a plain object. */
public class MisusedFallback {

    final AtomicInteger calls = new AtomicInteger();

    @CircuitBreaker(name = "misused", fallbackMethod = "missing")
    public String call() {
        calls.incrementAndGet();
        return "ran";
    }
}

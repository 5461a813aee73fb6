package dev.resilience.aspectj;

import dev.resilience.annotation.CircuitBreaker;

import java.util.concurrent.atomic.AtomicInteger;

/** A class-level annotation: every public method is protected, including the one {@link #sendAll} calls. */
@CircuitBreaker(name = "gateway")
public class ClassLevelGateway {

    final AtomicInteger posts = new AtomicInteger();

    public String sendAll(String message) {
        return post(message);
    }

    public String post(String message) {
        posts.incrementAndGet();
        throw new IllegalStateException("gateway refused " + message);
    }
}

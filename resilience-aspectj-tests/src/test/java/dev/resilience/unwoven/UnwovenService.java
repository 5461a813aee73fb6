package dev.resilience.unwoven;

import dev.resilience.annotation.CircuitBreaker;

/** In a package the test aop.xml does not weave: as an application's class that its aop.xml forgot. */
public class UnwovenService {

    @CircuitBreaker(name = "forgotten")
    public String call() {
        return "unprotected";
    }
}

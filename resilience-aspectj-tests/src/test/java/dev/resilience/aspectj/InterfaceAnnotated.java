package dev.resilience.aspectj;

import dev.resilience.annotation.CircuitBreaker;

/** Annotated on an interface method: proxy mode honours it, but the weaver does not see it on the implementation. */
public interface InterfaceAnnotated {

    @CircuitBreaker(name = "remote")
    String call();

    /** The implementation, itself unannotated. */
    class Implementation implements InterfaceAnnotated {

        @Override
        public String call() {
            return "unprotected";
        }
    }
}

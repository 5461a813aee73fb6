package io.github.robwin.exception;

/**
 * Stand-in for the class of this name in Resilience4j's Spring Boot demo, which its {@code application.yml} (copied to
 * {@code migration/resilience4j-demo-application.yml}) lists under {@code ignoreExceptions}: an exception class that
 * does not exist fails start-up, so the copy needs it.
 */
public class BusinessException extends RuntimeException {

    /** @param message what went wrong */
    public BusinessException(String message) {
        super(message);
    }
}

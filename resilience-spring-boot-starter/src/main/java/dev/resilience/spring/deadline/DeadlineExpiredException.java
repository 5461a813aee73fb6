package dev.resilience.spring.deadline;

import dev.resilience.timeout.TimeoutExceededException;

import java.time.Duration;

/**
 * An outgoing request was not sent because the current deadline had left less than a millisecond: the service
 * called would have received a deadline of 0 (already expired), and the caller has given up anyway. A
 * {@link TimeoutExceededException} (a 504 when it reaches a controller), named for the host the request was for;
 * like every timeout its {@link #kind()} is {@code timeout} and it is not {@link #isRejection() a rejection}.
 */
public class DeadlineExpiredException extends TimeoutExceededException {

    private static final long serialVersionUID = 1L;

    private final String request;

    /**
     * @param host the host the request was for (the exception's instance name)
     * @param request the request's method and URI, for the message
     */
    public DeadlineExpiredException(String host, String request) {
        super(host, Duration.ZERO);
        this.request = request;
    }

    @Override
    public String getMessage() {
        return "The deadline expired before " + request + " was sent; the request was not sent";
    }
}

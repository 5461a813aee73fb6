package dev.resilience.spring.web;

import dev.resilience.ResilienceException;
import dev.resilience.ShutdownInProgressException;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.timeout.TimeoutExceededException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.time.Duration;
import java.util.Optional;

/**
 * Turns rejections that reach a controller into RFC 9457 problem details: 503 for an open circuit, a full
 * bulkhead or shutdown in progress, 429 for a rate limit, 504 for a timeout. When the wait is known a
 * {@code Retry-After} header gives it in whole seconds, rounded up, at least 1. The body carries a title, the
 * rejection's message as detail, and the instance in {@code instanceName}; never a stack trace.
 *
 * <p>Ordered last, so an application's own {@code @ExceptionHandler} (in a controller or an advice) wins.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ResilienceProblemDetailsAdvice {

    /**
     * @param exception an open, forced-open or full half-open circuit breaker
     * @return 503 with {@code Retry-After} while the open-state wait is known
     */
    @ExceptionHandler(CallNotPermittedException.class)
    public ResponseEntity<ProblemDetail> callNotPermitted(CallNotPermittedException exception) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Circuit breaker open", "circuitbreaker", exception,
                exception.retryAfter());
    }

    /**
     * @param exception a full bulkhead
     * @return 503
     */
    @ExceptionHandler(BulkheadFullException.class)
    public ResponseEntity<ProblemDetail> bulkheadFull(BulkheadFullException exception) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Bulkhead full", "bulkhead", exception, exception.retryAfter());
    }

    /**
     * @param exception a call refused because the application is stopping
     * @return 503
     */
    @ExceptionHandler(ShutdownInProgressException.class)
    public ResponseEntity<ProblemDetail> shuttingDown(ShutdownInProgressException exception) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Shutting down", null, exception, Optional.empty());
    }

    /**
     * @param exception no rate-limiter permit within the timeout
     * @return 429 with {@code Retry-After} when the next permit's time is known
     */
    @ExceptionHandler(RequestNotPermittedException.class)
    public ResponseEntity<ProblemDetail> requestNotPermitted(RequestNotPermittedException exception) {
        return problem(HttpStatus.TOO_MANY_REQUESTS, "Rate limit exceeded", "ratelimiter", exception,
                exception.retryAfter());
    }

    /**
     * @param exception a call that outlived its timeout
     * @return 504
     */
    @ExceptionHandler(TimeoutExceededException.class)
    public ResponseEntity<ProblemDetail> timeoutExceeded(TimeoutExceededException exception) {
        return problem(HttpStatus.GATEWAY_TIMEOUT, "Timeout exceeded", "timeout", exception, Optional.empty());
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String kind,
                                                         ResilienceException exception, Optional<Duration> retryAfter) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, exception.getMessage());
        body.setTitle(title);
        body.setProperty("instanceName", exception.instanceName());
        if (kind != null) {
            body.setProperty("kind", kind);
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
        retryAfter.ifPresent(wait -> response.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(wait))));
        return response.body(body);
    }

    /**
     * @param wait how long until a call may succeed
     * @return whole seconds, rounded up, at least 1 (a {@code Retry-After} of 0 would invite an immediate retry)
     */
    static long retryAfterSeconds(Duration wait) {
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}

package dev.resilience.spring.web;

import dev.resilience.ShutdownInProgressException;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.spring.deadline.DeadlineExpiredException;
import dev.resilience.timeout.TimeoutExceededException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kind in a problem's body and its {@code Retry-After} header come from the rejection itself
 * ({@code kind()}, {@code retryAfter()}), so a subclass or a second kind of the same class is described as it is.
 */
class ProblemFromRejectionTest {

    @Test
    void aFullThreadPoolBulkheadIsNamedForItsKind() {
        ResponseEntity<ProblemDetail> response = new ResilienceProblemDetailsAdvice.BulkheadFull()
                .bulkheadFull(new BulkheadFullException("reports", "queue full", ThreadPoolBulkhead.KIND));

        assertThat(response.getStatusCode().value()).isEqualTo(503);
        assertThat(response.getBody().getProperties()).containsEntry("kind", "thread-pool-bulkhead")
                .containsEntry("instanceName", "reports");
        assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNull();
    }

    @Test
    void aShutdownIsNamedForItsKind() {
        ResponseEntity<ProblemDetail> response = new ResilienceProblemDetailsAdvice.ShuttingDown()
                .shuttingDown(new ShutdownInProgressException("reports"));

        assertThat(response.getStatusCode().value()).isEqualTo(503);
        assertThat(response.getBody().getTitle()).isEqualTo("Shutting down");
        assertThat(response.getBody().getProperties()).containsEntry("kind", "shutdown");
        assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNull();
    }

    @Test
    void anExpiredDeadlineIsATimeout() {
        ResponseEntity<ProblemDetail> response = new ResilienceProblemDetailsAdvice.TimeoutExceeded()
                .timeoutExceeded(new DeadlineExpiredException("pricing.internal", "GET http://pricing.internal/"));

        assertThat(response.getStatusCode().value()).isEqualTo(504);
        assertThat(response.getBody().getProperties()).containsEntry("kind", "timeout")
                .containsEntry("instanceName", "pricing.internal");
        assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNull();
    }

    @Test
    void theRejectionsOwnWaitIsTheRetryAfter() {
        ResponseEntity<ProblemDetail> open = new ResilienceProblemDetailsAdvice.CircuitBreakerOpen()
                .callNotPermitted(new CallNotPermittedException("inventory", CircuitBreaker.State.OPEN,
                        Duration.ofMillis(4200).toNanos()));
        ResponseEntity<ProblemDetail> limited = new ResilienceProblemDetailsAdvice.RateLimitExceeded()
                .requestNotPermitted(new RequestNotPermittedException("search", "no permit", Duration.ofMillis(300)));

        assertThat(open.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        assertThat(open.getBody().getProperties()).containsEntry("kind", "circuitbreaker");
        assertThat(limited.getStatusCode().value()).isEqualTo(429);
        assertThat(limited.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(limited.getBody().getProperties()).containsEntry("kind", "ratelimiter");
    }

    @Test
    void aTimeoutHasNoRetryAfter() {
        ResponseEntity<ProblemDetail> response = new ResilienceProblemDetailsAdvice.TimeoutExceeded()
                .timeoutExceeded(new TimeoutExceededException("slow", Duration.ofSeconds(2)));

        assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNull();
        assertThat(response.getBody().getProperties()).containsEntry("kind", "timeout");
    }
}

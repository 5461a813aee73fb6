package dev.resilience.spring.deadline;

import dev.resilience.deadline.Deadline;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

import java.io.IOException;
import java.util.Objects;

/**
 * Sends the time the current thread's {@link Deadline} has left with every request, in the
 * {@link DeadlineHeader}, so that the service called stops working when the caller has given up. A request made
 * without a deadline is sent unchanged; a header the application set itself is kept. A request whose deadline has
 * less than a whole millisecond left is not sent at all: it fails at once with {@link DeadlineExpiredException}
 * (a {@code TimeoutExceededException}), since the service called would only receive an expired deadline.
 *
 * <p>The starter adds it to every {@code RestClient.Builder} Spring Boot creates. Thread-safe.
 */
public final class DeadlineClientInterceptor implements ClientHttpRequestInterceptor {

    private final String headerName;

    /**
     * @param header the header to send
     */
    public DeadlineClientInterceptor(DeadlineHeader header) {
        this.headerName = Objects.requireNonNull(header, "header").name();
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution) throws IOException {
        Deadline deadline = Deadline.currentOrNull();
        if (deadline != null) {
            long remainingNanos = deadline.remainingNanos();
            if (remainingNanos < 1_000_000L) {
                String host = request.getURI().getHost();
                throw new DeadlineExpiredException(host == null ? String.valueOf(request.getURI()) : host,
                        request.getMethod() + " " + request.getURI());
            }
            if (!request.getHeaders().containsHeader(headerName)) {
                request.getHeaders().set(headerName, DeadlineHeader.format(remainingNanos));
            }
        }
        return execution.execute(request, body);
    }
}

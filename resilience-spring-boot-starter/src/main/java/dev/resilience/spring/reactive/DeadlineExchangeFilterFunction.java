package dev.resilience.spring.reactive;

import dev.resilience.deadline.Deadline;
import dev.resilience.reactor.ReactorResilience;
import dev.resilience.spring.deadline.DeadlineHeader;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

import java.util.Objects;

/**
 * The {@code WebClient} counterpart of {@link dev.resilience.spring.deadline.DeadlineClientInterceptor}: sends the
 * time the current deadline has left in the {@link DeadlineHeader}. The deadline is read when the request is
 * subscribed: the earlier of the one in the Reactor context ({@link ReactorResilience#DEADLINE_KEY}, set by
 * {@link DeadlineWebFilter}, a protected subscription or {@code ReactorResilience.withDeadline}) and the
 * subscribing thread's. A request made without a deadline is sent unchanged; a header the application set itself
 * is kept.
 *
 * <p>The starter adds it to every {@code WebClient.Builder} Spring Boot creates. Thread-safe.
 */
public final class DeadlineExchangeFilterFunction implements ExchangeFilterFunction {

    private final String headerName;

    /**
     * @param header the header to send
     */
    public DeadlineExchangeFilterFunction(DeadlineHeader header) {
        this.headerName = Objects.requireNonNull(header, "header").name();
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        if (request.headers().containsHeader(headerName)) {
            return next.exchange(request);
        }
        return Mono.deferContextual(context -> {
            Deadline deadline = earlier(ReactorResilience.deadline(context), Deadline.currentOrNull());
            if (deadline == null) {
                return next.exchange(request);
            }
            return next.exchange(ClientRequest.from(request)
                    .header(headerName, DeadlineHeader.format(deadline.remainingNanos())).build());
        });
    }

    private static Deadline earlier(Deadline a, Deadline b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }
}

package dev.resilience.spring.reactive;

import dev.resilience.core.Clock;
import dev.resilience.deadline.Deadline;
import dev.resilience.reactor.ReactorResilience;
import dev.resilience.spring.deadline.DeadlineHeader;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.Objects;

/**
 * The WebFlux counterpart of {@link dev.resilience.spring.deadline.DeadlineServletFilter}: turns the
 * {@link DeadlineHeader} of an incoming request into the request's {@link Deadline}, that many milliseconds from
 * the request's arrival on the given clock, carried in the Reactor context under
 * {@link ReactorResilience#DEADLINE_KEY} (a reactive request has no thread of its own). Annotated methods
 * returning {@code Mono}/{@code Flux} that the handler subscribes, and {@code WebClient} requests made within it,
 * see the time the caller has left; a deadline already in the context that is earlier is kept.
 *
 * <p>A value that is malformed, negative or larger than {@link DeadlineHeader#MAX_MILLIS} is ignored (logged at
 * DEBUG); 0 is a deadline already expired. Runs early ({@link #ORDER}). Thread-safe.
 */
public final class DeadlineWebFilter implements WebFilter, Ordered {

    /** The filter's order: just after the highest precedence, as the servlet filter's. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 50;

    private static final Log LOG = LogFactory.getLog(DeadlineWebFilter.class);

    private final String headerName;
    private final Clock clock;

    /**
     * @param header the header to read
     * @param clock the clock deadlines are measured on (the one the policies use)
     */
    public DeadlineWebFilter(DeadlineHeader header, Clock clock) {
        this.headerName = Objects.requireNonNull(header, "header").name();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String value = exchange.getRequest().getHeaders().getFirst(headerName);
        if (value == null) {
            return chain.filter(exchange);
        }
        long millis = DeadlineHeader.parseMillis(value);
        if (millis < 0) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("Ignoring header " + headerName + ": '" + abbreviate(value) + "' is not a number of milliseconds from 0 to "
                        + DeadlineHeader.MAX_MILLIS + "; " + exchange.getRequest().getMethod() + " "
                        + exchange.getRequest().getPath() + " runs without a deadline");
            }
            return chain.filter(exchange);
        }
        Deadline deadline = Deadline.afterNanos(millis * 1_000_000L, clock);
        return chain.filter(exchange).contextWrite(ReactorResilience.withDeadline(deadline));
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}

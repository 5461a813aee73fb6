package dev.resilience.spring.deadline;

import dev.resilience.core.Clock;
import dev.resilience.deadline.Deadline;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Enumeration;
import java.util.Objects;

/**
 * Turns the {@link DeadlineHeader} of an incoming request into the request's {@link Deadline}: the request
 * thread runs the rest of the chain with a deadline that many milliseconds from now on the given clock, and has
 * its previous deadline (normally none) back afterwards, also when the chain throws. Annotated timeouts and
 * retries, and outgoing RestClient calls, made while handling the request then see the time the caller has left.
 *
 * <p>A value that is malformed, negative or larger than {@link DeadlineHeader#MAX_MILLIS} is ignored (logged at
 * DEBUG): the request runs without a deadline rather than fail because of a header. A value of 0 is a deadline
 * that has already expired. When the header is repeated (proxies may append one), the smallest valid value wins:
 * the strictest caller's deadline is the one that holds. Runs early ({@link #ORDER}) so that other filters see the deadline too. Thread-safe.
 */
public final class DeadlineServletFilter extends OncePerRequestFilter implements Ordered {

    /** The filter's order: just after the highest precedence. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 50;

    private static final Log LOG = LogFactory.getLog(DeadlineServletFilter.class);

    private final String headerName;
    private final Clock clock;

    /**
     * @param header the header to read
     * @param clock the clock deadlines are measured on (the one the policies use)
     */
    public DeadlineServletFilter(DeadlineHeader header, Clock clock) {
        this.headerName = Objects.requireNonNull(header, "header").name();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Enumeration<String> values = request.getHeaders(headerName);
        if (values == null || !values.hasMoreElements()) {
            chain.doFilter(request, response);
            return;
        }
        long millis = -1;
        while (values.hasMoreElements()) {
            String value = values.nextElement();
            long parsed = DeadlineHeader.parseMillis(value);
            if (parsed < 0) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("Ignoring header " + headerName + ": '" + abbreviate(String.valueOf(value)) + "' is not a number of milliseconds from 0 to "
                            + DeadlineHeader.MAX_MILLIS + " (" + request.getMethod() + " " + request.getRequestURI() + ")");
                }
            } else if (millis < 0 || parsed < millis) {
                millis = parsed;
            }
        }
        if (millis < 0) {
            chain.doFilter(request, response);
            return;
        }
        Deadline previous = Deadline.replace(Deadline.afterNanos(millis * 1_000_000L, clock));
        try {
            chain.doFilter(request, response);
        } finally {
            Deadline.replace(previous);
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}

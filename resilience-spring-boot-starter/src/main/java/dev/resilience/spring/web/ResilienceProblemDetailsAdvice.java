package dev.resilience.spring.web;

import dev.resilience.ResilienceException;
import dev.resilience.ShutdownInProgressException;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.timeout.TimeoutExceededException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.ExceptionHandlerMappingInfo;
import org.springframework.web.method.annotation.ExceptionHandlerMethodResolver;

import java.time.Duration;

/**
 * Turns rejections that reach a controller into RFC 9457 problem details: 503 for an open circuit, a full
 * bulkhead or shutdown in progress, 429 for a rate limit, 504 for a timeout. When the wait is known a
 * {@code Retry-After} header gives it in whole seconds, rounded up, at least 1. The body carries a title, the
 * rejection's message as detail, the instance in {@code instanceName} and the policy kind in {@code kind}; never a
 * stack trace. The kind and the wait are read from {@link ResilienceException#kind()} and
 * {@link ResilienceException#retryAfter()}; only the status and the title belong to each rejection class.
 *
 * <p>Which handler answers a rejection, decided once at start-up for each rejection class:
 * <ol>
 * <li>an {@code @ExceptionHandler} in the controller itself (Spring MVC always asks it first);</li>
 * <li>an application advice that declares a handler for that rejection's class or one of its superclasses up to
 * {@link ResilienceException} (e.g. {@code @ExceptionHandler(CallNotPermittedException.class)} or
 * {@code @ExceptionHandler(ResilienceException.class)}): the advice for that rejection then steps back, ordered
 * {@link Ordered#LOWEST_PRECEDENCE};</li>
 * <li>otherwise these advices, ordered {@link Ordered#HIGHEST_PRECEDENCE}, ahead of any catch-all for
 * {@code Exception}, {@code RuntimeException} or {@code Throwable}, which would otherwise turn a 503 into a 500.</li>
 * </ol>
 * One advice per rejection class, because Spring MVC picks the first advice with any matching handler: a single
 * advice could only step back for all rejections or for none.
 */
public abstract class ResilienceProblemDetailsAdvice implements Ordered, BeanFactoryAware {

    private final Class<? extends ResilienceException> handled;
    private ListableBeanFactory beanFactory;
    private volatile Integer order;

    ResilienceProblemDetailsAdvice(Class<? extends ResilienceException> handled) {
        this.handled = handled;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory instanceof ListableBeanFactory listable ? listable : null;
    }

    /** @return the rejection class this advice answers */
    public Class<? extends ResilienceException> handled() {
        return handled;
    }

    /**
     * Asked by Spring MVC when it collects the advices, after every bean definition exists; the application's
     * advices are looked at once, by type, without creating them.
     *
     * @return {@link Ordered#LOWEST_PRECEDENCE} when an application advice declares a handler for this advice's
     *     rejection, else {@link Ordered#HIGHEST_PRECEDENCE}
     */
    @Override
    public int getOrder() {
        Integer current = order;
        if (current == null) {
            if (beanFactory == null) {
                return Ordered.HIGHEST_PRECEDENCE;
            }
            current = applicationHandles(beanFactory, handled) ? Ordered.LOWEST_PRECEDENCE : Ordered.HIGHEST_PRECEDENCE;
            order = current;
        }
        return current;
    }

    /**
     * @param beanFactory where the application's advices are defined
     * @param rejection a rejection class
     * @return whether some advice other than ours declares a handler for the rejection or a superclass of it that
     *     is still a {@link ResilienceException}
     */
    static boolean applicationHandles(ListableBeanFactory beanFactory, Class<? extends ResilienceException> rejection) {
        for (String name : beanFactory.getBeanNamesForAnnotation(ControllerAdvice.class)) {
            Class<?> type = beanFactory.getType(name, false);
            if (type == null) {
                continue;
            }
            type = ClassUtils.getUserClass(type);
            if (!ResilienceProblemDetailsAdvice.class.isAssignableFrom(type) && declaresHandlerFor(type, rejection)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param adviceType an advice class
     * @param rejection a rejection class
     * @return whether the handler Spring MVC would pick in that advice for the rejection names the rejection's class
     *     or a superclass up to {@link ResilienceException} (a catch-all for {@code Exception} does not count)
     */
    static boolean declaresHandlerFor(Class<?> adviceType, Class<? extends ResilienceException> rejection) {
        ExceptionHandlerMappingInfo mapping = new ExceptionHandlerMethodResolver(adviceType)
                .resolveExceptionMappingByExceptionType(rejection, MediaType.ALL);
        if (mapping == null) {
            return false;
        }
        for (Class<? extends Throwable> declared : mapping.getExceptionTypes()) {
            if (ResilienceException.class.isAssignableFrom(declared) && declared.isAssignableFrom(rejection)) {
                return true;
            }
        }
        return false;
    }

    /** An open, forced-open or full half-open circuit breaker: 503, with {@code Retry-After} while the open-state wait is known. */
    @RestControllerAdvice
    public static final class CircuitBreakerOpen extends ResilienceProblemDetailsAdvice {

        /** Answers {@link CallNotPermittedException}. */
        public CircuitBreakerOpen() {
            super(CallNotPermittedException.class);
        }

        /**
         * @param exception the rejection
         * @return the problem response
         */
        @ExceptionHandler(CallNotPermittedException.class)
        public ResponseEntity<ProblemDetail> callNotPermitted(CallNotPermittedException exception) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "Circuit breaker open", exception);
        }
    }

    /** A full bulkhead: 503. */
    @RestControllerAdvice
    public static final class BulkheadFull extends ResilienceProblemDetailsAdvice {

        /** Answers {@link BulkheadFullException}. */
        public BulkheadFull() {
            super(BulkheadFullException.class);
        }

        /**
         * @param exception the rejection
         * @return the problem response
         */
        @ExceptionHandler(BulkheadFullException.class)
        public ResponseEntity<ProblemDetail> bulkheadFull(BulkheadFullException exception) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "Bulkhead full", exception);
        }
    }

    /** A call refused because the application is stopping: 503. */
    @RestControllerAdvice
    public static final class ShuttingDown extends ResilienceProblemDetailsAdvice {

        /** Answers {@link ShutdownInProgressException}. */
        public ShuttingDown() {
            super(ShutdownInProgressException.class);
        }

        /**
         * @param exception the rejection
         * @return the problem response
         */
        @ExceptionHandler(ShutdownInProgressException.class)
        public ResponseEntity<ProblemDetail> shuttingDown(ShutdownInProgressException exception) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "Shutting down", exception);
        }
    }

    /** No rate-limiter permit within the timeout: 429, with {@code Retry-After} when the next permit's time is known. */
    @RestControllerAdvice
    public static final class RateLimitExceeded extends ResilienceProblemDetailsAdvice {

        /** Answers {@link RequestNotPermittedException}. */
        public RateLimitExceeded() {
            super(RequestNotPermittedException.class);
        }

        /**
         * @param exception the rejection
         * @return the problem response
         */
        @ExceptionHandler(RequestNotPermittedException.class)
        public ResponseEntity<ProblemDetail> requestNotPermitted(RequestNotPermittedException exception) {
            return problem(HttpStatus.TOO_MANY_REQUESTS, "Rate limit exceeded", exception);
        }
    }

    /** A call that outlived its timeout: 504. */
    @RestControllerAdvice
    public static final class TimeoutExceeded extends ResilienceProblemDetailsAdvice {

        /** Answers {@link TimeoutExceededException}. */
        public TimeoutExceeded() {
            super(TimeoutExceededException.class);
        }

        /**
         * @param exception the rejection
         * @return the problem response
         */
        @ExceptionHandler(TimeoutExceededException.class)
        public ResponseEntity<ProblemDetail> timeoutExceeded(TimeoutExceededException exception) {
            return problem(HttpStatus.GATEWAY_TIMEOUT, "Timeout exceeded", exception);
        }
    }

    /**
     * The one mapping every advice shares: what it needs of the rejection comes from {@link ResilienceException}
     * itself, so a subclass (a thread-pool bulkhead's rejection, a deadline that expired before a request was
     * sent) is described by its own {@link ResilienceException#kind() kind} and
     * {@link ResilienceException#retryAfter() wait}.
     *
     * @param status the status for this rejection class
     * @param title the title for this rejection class
     * @param exception the rejection
     * @return the problem response, with {@code Retry-After} when the rejection knows its wait
     */
    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, ResilienceException exception) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, exception.getMessage());
        body.setTitle(title);
        body.setProperty("instanceName", exception.instanceName());
        body.setProperty("kind", exception.kind());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
        exception.retryAfter().ifPresent(
                wait -> response.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(wait))));
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

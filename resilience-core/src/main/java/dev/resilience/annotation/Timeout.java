package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bounds how long a method may take: after {@code timeout-duration} the caller gets {@code TimeoutExceededException} (a blocking method runs on the caller's own thread, which is interrupted at the deadline; an asynchronous one's stage is completed exceptionally).
 *
 * <p>On a method, it applies to that method; on a class, to every public method of the class (a
 * method-level annotation of the same kind wins). Several annotations on one method compose in one
 * interception, outermost first: {@code Retry(CircuitBreaker(RateLimited(Timeout(Bulkhead(method)))))},
 * changeable with {@code resilience.order}. Methods returning {@code CompletionStage} or
 * {@code CompletableFuture} are handled asynchronously.
 *
 * <p>Applied by the Spring Boot starter through a proxy: like all proxy-based AOP, it does not apply to
 * a call from one method of the bean to another of the same bean (self-invocation).
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Timeout {

    /**
     * @return the instance name; selects {@code resilience.timeout.instances.<name>} properties (an instance
     *     without properties gets the {@code default} config)
     */
    String name();

    /**
     * @return a method of the same bean, with the same return type and the same parameters plus,
     *     optionally, one trailing {@code Throwable} (or subtype) parameter. It is called once, outside all
     *     of the method's policies, instead of failing: after the retries are exhausted, or when any policy
     *     rejects the call, whichever annotation names it (several annotations of one method may name only
     *     the same fallback). It never receives an exception that every retry and circuit breaker of the
     *     method ignores; rejections always reach it. Where several methods of that name match, the one
     *     whose exception parameter is the most specific for the thrown exception wins. Checked at
     *     start-up. Empty: no fallback.
     */
    String fallbackMethod() default "";
}

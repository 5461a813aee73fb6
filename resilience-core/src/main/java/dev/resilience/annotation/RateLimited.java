package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits how often a method may be called: at most {@code limit-for-period} calls per {@code limit-refresh-period}; a caller waits up to {@code timeout-duration} for a permit, then gets {@code RequestNotPermittedException}.
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
public @interface RateLimited {

    /**
     * @return the instance name; selects {@code resilience.ratelimiter.instances.<name>} properties (an instance
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

    /**
     * A SpEL expression over the method's arguments that gives each call's key: each distinct key gets its own
     * rate limiter, built from this instance's config ({@code @RateLimited(name = "api", key = "#tenant")} limits each tenant on its own).
     * Arguments are {@code #name} (parameter names, when compiled with {@code -parameters}, as Spring Boot's build
     * plugins do), {@code #p0} or {@code #a0}; keys are compared with {@code equals}, so the value should be an
     * immutable one (a {@code String}, a number, a record).
     *
     * <p>The expression is parsed once at start-up (a bad one fails start-up naming the method) and evaluated per call;
     * a call whose key is {@code null} fails with {@code dev.resilience.keyed.NullKeyException} without running.
     * The instance holds at most {@code max-keys} keys ({@code resilience.ratelimiter.instances.<name>.max-keys},
     * default 10,000) and drops a key unused for {@code key-idle-expiry} (default 10 min); see
     * {@code dev.resilience.keyed.KeyedPolicy}. An instance name is either keyed or not: using one name with and
     * without a key fails start-up.
     *
     * @return the key expression; empty (the default): one rate limiter for every call
     */
    String key() default "";
}

package dev.resilience.spring.aspectj;

/**
 * How annotated methods are intercepted ({@code resilience.aop.mode}).
 */
public enum AopMode {

    /**
     * Spring proxies around the beans that have annotated methods (the default). Only calls that go through the
     * proxy are protected: a call from one method of a bean to an annotated method of the same bean is not.
     */
    PROXY,

    /**
     * The starter's AspectJ aspect, {@link ResilienceAspect}, woven into the application's classes (load-time with the
     * weaver agent, or compile-time): every execution of an annotated method is protected, self-invocations and objects
     * Spring does not manage included. No proxies are created for the annotations.
     */
    ASPECTJ
}

package dev.resilience.spring.aspectj;

import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.annotation.Pointcut;
import org.aspectj.lang.reflect.MethodSignature;

import java.lang.reflect.Method;

/**
 * Protects every execution of a method carrying {@code @CircuitBreaker}, {@code @Retry}, {@code @Bulkhead},
 * {@code @RateLimited} or {@code @Timeout} (from {@code dev.resilience.annotation}), and of every public method of a
 * class carrying one, once AspectJ weaves it into the application's classes ({@code resilience.aop.mode=aspectj}).
 * Because the method itself is woven, not a proxy around its object, a call from another method of the same object
 * is protected, and so is an object Spring does not manage (created with {@code new}).
 *
 * <p>Enable it with the weaver agent ({@code -javaagent:aspectjweaver-<version>.jar}) and a {@code META-INF/aop.xml}
 * of the application's own that names this aspect and the packages to weave (the starter ships none: an aop.xml in
 * a library would add this aspect to the weaving of every application that runs the agent, whatever its mode), or
 * weave at compile time with this aspect on ajc's aspect path.
 *
 * <p>AspectJ creates this singleton; it reaches the application's configuration through the binding its
 * context makes at start-up and removes when it closes, and runs each call through the same per-method chain as
 * the starter's proxies (same instances, order, fallbacks, asynchronous and reactive handling, shutdown gate, metrics
 * and observations). A woven method called while no context in AspectJ mode runs (before start-up, after close) runs
 * unprotected, with one WARN per method. A misused annotation on a class Spring does not manage (a fallback that does
 * not exist, say) cannot fail start-up: the calls of its annotated methods fail with the same
 * {@code ResilienceConfigurationException} instead.
 *
 * <p>Which methods the weaver selects follows the Java rules AspectJ applies: an annotation counts where it is
 * written, on the executed method or on the class declaring it. One on an interface method, on a method the class
 * overrides, on a superclass only, or reached through a composed annotation is not seen; for a bean, start-up fails
 * naming such a method rather than leaving it unprotected.
 */
@Aspect
public class ResilienceAspect {

    /** Executions of methods carrying one of the annotations. */
    @Pointcut("execution(@dev.resilience.annotation.CircuitBreaker * *(..))"
            + " || execution(@dev.resilience.annotation.Retry * *(..))"
            + " || execution(@dev.resilience.annotation.Bulkhead * *(..))"
            + " || execution(@dev.resilience.annotation.RateLimited * *(..))"
            + " || execution(@dev.resilience.annotation.Timeout * *(..))")
    void annotatedMethod() {
    }

    /**
     * Executions of the public instance methods declared in a class carrying one of the annotations (a class-level
     * annotation applies to the public methods); only where it is written, as Spring's own AspectJ transaction aspect
     * does, so that a runtime subclass of the class (a Spring proxy) is never selected.
     */
    @Pointcut("execution(public !static * *(..)) && (within(@dev.resilience.annotation.CircuitBreaker *)"
            + " || within(@dev.resilience.annotation.Retry *)"
            + " || within(@dev.resilience.annotation.Bulkhead *)"
            + " || within(@dev.resilience.annotation.RateLimited *)"
            + " || within(@dev.resilience.annotation.Timeout *))")
    void publicMethodOfAnnotatedClass() {
    }

    /**
     * @param joinPoint the woven method's execution
     * @return what the method (or its fallback) returns, as the proxy would return it
     * @throws Throwable what the method or a policy throws
     */
    @Around("annotatedMethod() || publicMethodOfAnnotatedClass()")
    public Object protect(ProceedingJoinPoint joinPoint) throws Throwable {
        Method method = ((MethodSignature) joinPoint.getSignature()).getMethod();
        AspectJBinding binding = AspectJBinding.current();
        if (binding == null) {
            AspectJBinding.calledUnbound(method);
            return joinPoint.proceed();
        }
        Object target = joinPoint.getThis();
        return binding.interceptorFor(target != null ? target.getClass() : method.getDeclaringClass())
                .invoke(new JoinPointInvocation(joinPoint, method, target));
    }
}

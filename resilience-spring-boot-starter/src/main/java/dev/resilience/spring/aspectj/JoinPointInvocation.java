package dev.resilience.spring.aspectj;

import org.aopalliance.intercept.MethodInvocation;
import org.aspectj.lang.ProceedingJoinPoint;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;

/**
 * A woven call as the starter's interception sees a proxied one, so that both run the same chains. Each
 * {@link #proceed()} runs the rest of the join point (any advice inside ours, then the method) once more, which is what
 * an attempt of a retry needs; it may be called on another thread (a timeout worker, a thread-pool bulkhead).
 */
final class JoinPointInvocation implements MethodInvocation {

    private final ProceedingJoinPoint joinPoint;
    private final Method method;
    private final Object target;
    /** AspectJ copies the arguments on each request; read once, when a key or a fallback needs them. */
    private Object[] arguments;

    JoinPointInvocation(ProceedingJoinPoint joinPoint, Method method, Object target) {
        this.joinPoint = joinPoint;
        this.method = method;
        this.target = target;
    }

    @Override
    public Method getMethod() {
        return method;
    }

    @Override
    public Object[] getArguments() {
        Object[] read = arguments;
        if (read == null) {
            read = arguments = joinPoint.getArgs();
        }
        return read;
    }

    @Override
    public Object proceed() throws Throwable {
        return joinPoint.proceed();
    }

    @Override
    public Object getThis() {
        return target;
    }

    @Override
    public AccessibleObject getStaticPart() {
        return method;
    }

    @Override
    public String toString() {
        return "woven call of " + method;
    }
}

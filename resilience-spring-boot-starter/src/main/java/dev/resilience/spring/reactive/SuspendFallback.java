package dev.resilience.spring.reactive;

import dev.resilience.core.ShutdownGate;
import dev.resilience.spring.interceptor.ReactiveMethodSupport.FallbackCall;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.KotlinDetector;
import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The fallback methods of a Kotlin {@code suspend} function, resolved and checked at start-up: suspend functions of
 * the same bean with the same parameters plus, optionally, one exception parameter before the {@code Continuation}
 * (in Kotlin: {@code suspend fun cached(sku: String, error: Throwable): Stock}), returning the function's type (or a
 * subtype); where several match, the one whose exception parameter is the most specific for the failure wins.
 *
 * <p>A fallback of a suspend function must be a suspend function too: a plain one, or a suspend function named as
 * the fallback of a method that is not one, fails start-up. The fallback is invoked as Spring AOP invokes the
 * function itself: as a {@code Mono} (a {@code Flux} for a {@code Flow}) running it in a coroutine with the caller's
 * coroutine context (without its {@code Job}), which is then subscribed in place of the failed call. No Kotlin type
 * is referenced here: Spring's {@link AopUtils} does the bridging.
 */
final class SuspendFallback implements FallbackCall {

    private static final String CONTINUATION = "kotlin.coroutines.Continuation";

    private final List<Method> candidates;
    private final int base;

    private SuspendFallback(List<Method> candidates, int base) {
        this.candidates = candidates;
        this.base = base;
    }

    /** @return whether {@code method} is a Kotlin suspend function (its last parameter is the {@code Continuation}) */
    static boolean isSuspendFunction(Method method) {
        Class<?>[] parameters = method.getParameterTypes();
        return parameters.length > 0 && CONTINUATION.equals(parameters[parameters.length - 1].getName())
                && KotlinDetector.isSuspendingFunction(method);
    }

    /**
     * @param method a Kotlin suspend function
     * @return its fallback
     * @throws IllegalArgumentException describing why no method of that name can serve
     */
    static SuspendFallback resolve(Method method, Class<?> targetClass, String fallbackName) {
        Class<?>[] params = method.getParameterTypes();
        int base = params.length - 1;
        Class<?>[] baseParams = Arrays.copyOf(params, base);
        ResolvableType valueType = valueType(method, targetClass);
        List<Method> named = named(targetClass, fallbackName);
        if (named.isEmpty()) {
            throw new IllegalArgumentException("no method named '" + fallbackName + "' exists in " + targetClass.getName());
        }
        List<Method> matching = new ArrayList<>();
        List<Method> plain = new ArrayList<>();
        for (Method candidate : named) {
            boolean suspending = isSuspendFunction(candidate);
            Class<?>[] cp = candidate.getParameterTypes();
            Class<?>[] own = suspending ? Arrays.copyOf(cp, cp.length - 1) : cp;
            if (!parametersMatch(own, baseParams)) {
                continue;
            }
            if (!suspending) {
                plain.add(candidate);
            } else if (valueType.isAssignableFrom(valueType(candidate, targetClass))) {
                matching.add(candidate);
            }
        }
        if (matching.isEmpty()) {
            if (!plain.isEmpty()) {
                throw new IllegalArgumentException(plain.get(0).toGenericString() + " is not a suspend function, but "
                        + method.getName() + " is one: its fallback must be a suspend function too (it runs as the function "
                        + "does, in the caller's coroutine), so declare it 'suspend fun " + fallbackName + "'");
            }
            throw new IllegalArgumentException("no method '" + fallbackName + "' has the signature the fallback of a suspend "
                    + "function needs: a suspend function returning " + valueType + " (or a subtype) with the parameters "
                    + Arrays.toString(baseParams) + " optionally followed by one Throwable parameter; found "
                    + named.stream().map(Method::toGenericString).toList());
        }
        List<Method> unique = new ArrayList<>();
        for (Method m : matching) {
            // A method overridden in a subclass is found again higher up: the first found (the override) serves.
            if (unique.stream().noneMatch(u -> Arrays.equals(u.getParameterTypes(), m.getParameterTypes()))) {
                unique.add(m);
            }
        }
        unique.sort(Comparator.comparingInt((Method m) -> -specificity(exceptionType(m, base))));
        unique.forEach(ReflectionUtils::makeAccessible);
        return new SuspendFallback(List.copyOf(unique), base);
    }

    /**
     * For a method that is not a suspend function: its fallback must not be one (the interceptor would otherwise
     * report only a signature mismatch).
     *
     * @throws IllegalArgumentException when every method of that name is a suspend function
     */
    static void rejectSuspendFallbacks(Method method, Class<?> targetClass, String fallbackName) {
        List<Method> named = named(targetClass, fallbackName);
        if (!named.isEmpty() && named.stream().allMatch(SuspendFallback::isSuspendFunction)) {
            throw new IllegalArgumentException(named.get(0).toGenericString() + " is a Kotlin suspend function, but "
                    + method.getName() + " is not one: a suspend fallback serves a suspend function only; declare a fallback "
                    + "returning " + method.getGenericReturnType().getTypeName() + " (from a coroutine: mono { ... } or flux { ... })");
        }
    }

    private static List<Method> named(Class<?> targetClass, String fallbackName) {
        List<Method> named = new ArrayList<>();
        ReflectionUtils.doWithMethods(targetClass, candidate -> {
            if (candidate.getName().equals(fallbackName) && !Modifier.isStatic(candidate.getModifiers()) && !candidate.isBridge()) {
                named.add(candidate);
            }
        });
        return named;
    }

    private static boolean parametersMatch(Class<?>[] candidate, Class<?>[] base) {
        if (candidate.length == base.length) {
            return Arrays.equals(candidate, base);
        }
        return candidate.length == base.length + 1
                && Arrays.equals(Arrays.copyOf(candidate, base.length), base)
                && Throwable.class.isAssignableFrom(candidate[base.length]);
    }

    /**
     * A suspend function's value type is that of its {@code Continuation<? super T>} parameter: its declared return
     * type is {@code Object} (the value, or the marker that it suspended).
     */
    private static ResolvableType valueType(Method suspendFunction, Class<?> targetClass) {
        Type[] generic = suspendFunction.getGenericParameterTypes();
        Type continuation = generic[generic.length - 1];
        Type value = Object.class;
        if (continuation instanceof ParameterizedType parameterized) {
            value = parameterized.getActualTypeArguments()[0];
            if (value instanceof WildcardType wildcard) {
                value = wildcard.getLowerBounds().length > 0 ? wildcard.getLowerBounds()[0] : wildcard.getUpperBounds()[0];
            }
        }
        return ResolvableType.forType(value, ResolvableType.forClass(targetClass));
    }

    private static Class<?> exceptionType(Method candidate, int base) {
        // The candidate's parameters: the function's own, then the exception (optional), then the Continuation.
        return candidate.getParameterCount() == base + 2 ? candidate.getParameterTypes()[base] : null;
    }

    /** Deeper in the exception hierarchy is more specific; no exception parameter is the least specific. */
    private static int specificity(Class<?> exceptionType) {
        int depth = 0;
        for (Class<?> c = exceptionType; c != null; c = c.getSuperclass()) {
            depth++;
        }
        return depth;
    }

    /**
     * @param args the call's arguments, the caller's {@code Continuation} last
     * @return the fallback's publisher (not yet subscribed), or {@code notApplicable}
     */
    @Override
    public Object invoke(Object target, Object[] args, Throwable error, Object notApplicable) throws Throwable {
        for (Method candidate : candidates) {
            Class<?> accepted = exceptionType(candidate, base);
            if (accepted != null && !accepted.isInstance(error)) {
                continue;
            }
            Object[] callArgs = args;
            if (accepted != null) {
                callArgs = Arrays.copyOf(args, base + 2);
                callArgs[base] = error;
                callArgs[base + 1] = args[base]; // the caller's Continuation: its coroutine context is the fallback's
            }
            // The fallback is part of the admitted call: what it calls still runs once shutdown has begun.
            ShutdownGate.AdmittedWork work = ShutdownGate.admittedWork();
            work.begin();
            try {
                return AopUtils.invokeJoinpointUsingReflection(target, candidate, callArgs);
            } finally {
                work.end();
            }
        }
        return notApplicable;
    }
}

package dev.resilience.spring.interceptor;

import dev.resilience.core.ShutdownGate;
import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

/**
 * The fallback methods of one annotated method, resolved and checked at start-up: candidates with the
 * same parameters plus an optional trailing exception parameter, a return type assignable to the method's
 * (generics included) and no checked exception the method does not declare; most specific exception type first.
 */
final class Fallback {

    private final String name;
    private final List<Method> candidates;

    private Fallback(String name, List<Method> candidates) {
        this.name = name;
        this.candidates = candidates;
    }

    /**
     * Finds the fallback methods for an annotated method.
     *
     * @param failuresAsSignals whether what the fallback throws reaches the caller as a failed stage or an error
     *     signal (a {@code CompletionStage} or reactive method), so that checked exceptions need no declaration
     * @throws IllegalArgumentException describing why no method of that name can serve
     */
    static Fallback resolve(Class<?> targetClass, Method method, String fallbackName, boolean failuresAsSignals) {
        Class<?>[] params = method.getParameterTypes();
        ResolvableType returnType = ResolvableType.forMethodReturnType(method, targetClass);
        List<Method> named = new java.util.ArrayList<>();
        List<Method> matching = new java.util.ArrayList<>();
        ReflectionUtils.doWithMethods(targetClass, candidate -> {
            if (!candidate.getName().equals(fallbackName)) {
                return;
            }
            named.add(candidate);
            if (signatureMatches(candidate, method, params, returnType, targetClass)) {
                matching.add(candidate);
            }
        });
        if (named.isEmpty()) {
            throw new IllegalArgumentException("no method named '" + fallbackName + "' exists in " + targetClass.getName());
        }
        if (matching.isEmpty()) {
            throw new IllegalArgumentException("no method '" + fallbackName + "' has the signature the fallback needs: return type "
                    + returnType + " (or a subtype) and parameters " + Arrays.toString(params)
                    + " optionally followed by one Throwable parameter; found " + named.stream().map(Method::toGenericString).toList());
        }
        // Drop methods overridden in subclasses (same signature found again higher up).
        List<Method> unique = new java.util.ArrayList<>();
        for (Method m : matching) {
            boolean shadowed = unique.stream().anyMatch(u -> Arrays.equals(u.getParameterTypes(), m.getParameterTypes()));
            if (!shadowed) {
                unique.add(m);
            }
        }
        unique.sort((a, b) -> {
            Class<?> ea = exceptionType(a, params.length);
            Class<?> eb = exceptionType(b, params.length);
            if (ea == eb) {
                return 0;
            }
            if (ea == null) {
                return 1;
            }
            if (eb == null) {
                return -1;
            }
            if (ea.isAssignableFrom(eb)) {
                return 1;
            }
            if (eb.isAssignableFrom(ea)) {
                return -1;
            }
            return depth(eb) - depth(ea);
        });
        if (!failuresAsSignals) {
            for (Method candidate : unique) {
                checkDeclaredExceptions(candidate, method, fallbackName);
            }
        }
        unique.forEach(ReflectionUtils::makeAccessible);
        return new Fallback(fallbackName, List.copyOf(unique));
    }

    /**
     * The fallback's result is returned to the method's caller, so its generic return type must be assignable to
     * the method's: a {@code List<Integer>} fallback for a {@code List<String>} method would fail with a
     * {@code ClassCastException} far from the cause.
     */
    private static boolean signatureMatches(Method candidate, Method method, Class<?>[] params, ResolvableType returnType,
                                            Class<?> targetClass) {
        if (!method.getReturnType().isAssignableFrom(candidate.getReturnType())
                || !returnType.isAssignableFrom(ResolvableType.forMethodReturnType(candidate, targetClass))
                || java.lang.reflect.Modifier.isStatic(candidate.getModifiers())) {
            return false;
        }
        Class<?>[] cp = candidate.getParameterTypes();
        if (cp.length == params.length) {
            return Arrays.equals(cp, params);
        }
        return cp.length == params.length + 1
                && Arrays.equals(Arrays.copyOf(cp, params.length), params)
                && Throwable.class.isAssignableFrom(cp[params.length]);
    }

    /**
     * What a fallback throws reaches the caller unchanged, which a proxy can only do for a checked exception the
     * annotated method declares (any other arrives as {@code UndeclaredThrowableException}).
     */
    private static void checkDeclaredExceptions(Method candidate, Method method, String fallbackName) {
        for (Class<?> thrown : candidate.getExceptionTypes()) {
            if (RuntimeException.class.isAssignableFrom(thrown) || Error.class.isAssignableFrom(thrown)) {
                continue;
            }
            boolean declared = Arrays.stream(method.getExceptionTypes()).anyMatch(type -> type.isAssignableFrom(thrown));
            if (!declared) {
                throw new IllegalArgumentException("the fallback " + candidate.toGenericString() + " declares the checked exception "
                        + thrown.getName() + ", which " + method.getName() + " does not declare, so it would reach the caller as "
                        + "UndeclaredThrowableException");
            }
        }
    }

    private static Class<?> exceptionType(Method m, int baseParams) {
        return m.getParameterCount() > baseParams ? m.getParameterTypes()[baseParams] : null;
    }

    private static int depth(Class<?> type) {
        int depth = 0;
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            depth++;
        }
        return depth;
    }

    /**
     * @param target the bean
     * @param args the call's arguments
     * @param error what the policy threw
     * @param notApplicable returned when no candidate accepts this exception
     * @return the fallback's result, or {@code notApplicable}
     * @throws Throwable what the fallback throws, unwrapped
     */
    Object invoke(Object target, Object[] args, Throwable error, Object notApplicable) throws Throwable {
        int base = args.length;
        for (Method candidate : candidates) {
            Class<?> accepted = exceptionType(candidate, base);
            if (accepted != null && !accepted.isInstance(error)) {
                continue;
            }
            Object[] callArgs = args;
            if (accepted != null) {
                callArgs = Arrays.copyOf(args, base + 1);
                callArgs[base] = error;
            }
            // The fallback is part of the admitted call: what it calls still runs once shutdown has begun.
            ShutdownGate.AdmittedWork work = ShutdownGate.admittedWork();
            work.begin();
            try {
                return candidate.invoke(target, callArgs);
            } catch (InvocationTargetException e) {
                throw e.getTargetException();
            } finally {
                work.end();
            }
        }
        return notApplicable;
    }

    String name() {
        return name;
    }
}

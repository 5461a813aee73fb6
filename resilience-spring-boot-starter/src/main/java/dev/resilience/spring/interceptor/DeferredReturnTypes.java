package dev.resilience.spring.interceptor;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.scheduling.annotation.Async;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Return types whose work runs after the annotated method has returned, and whose outcome no policy can follow: a
 * plain {@code Future} (it cannot say when its work ends without a thread blocking on it), a {@code Callable}, and
 * Spring MVC's deferred results. Protecting such a method would protect only the starting of the work, so start-up
 * refuses it instead of letting it run unprotected. Types are matched by name, so Spring MVC need not be on the
 * class path.
 */
final class DeferredReturnTypes {

    /** Run later by Spring MVC (or by whoever calls them), never by the annotated method. */
    private static final Set<String> RUN_LATER = Set.of(
            "java.util.concurrent.Callable",
            "org.springframework.web.context.request.async.DeferredResult",
            "org.springframework.web.context.request.async.WebAsyncTask",
            "org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter",
            "org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody");

    private static final Set<String> FUTURE = Set.of("java.util.concurrent.Future");

    private DeferredReturnTypes() {
    }

    /**
     * @param method an annotated method that returns neither a {@code CompletionStage} nor a reactive type
     * @param targetClass the bean's user class
     * @return why the policies could not protect the method's work, or {@code null} when they can
     */
    static String problem(Method method, Class<?> targetClass) {
        Class<?> type = method.getReturnType();
        if (CompletionStage.class.isAssignableFrom(type)) {
            return null;
        }
        String returned = method.getGenericReturnType().getTypeName();
        if (isOrExtends(type, RUN_LATER)) {
            return "it returns " + returned + ", whose work runs after the method has returned (Spring MVC, or whoever "
                    + "receives it, runs it later): the policies would protect nothing but the building of that object";
        }
        // Behind @Async the method itself runs on the executor thread, inside the policies: its Future is only the
        // handle Spring gives the caller.
        if (isOrExtends(type, FUTURE) && !isAsync(method, targetClass)) {
            return "it returns " + returned + ", whose work runs after the method has returned, and a Future cannot "
                    + "tell anyone when that work ends without a thread blocking on it: the policies would protect "
                    + "nothing but the starting of the work";
        }
        return null;
    }

    /** @return what to do instead, for a method {@link #problem} refused */
    static String action(Method method) {
        String simple = method.getReturnType().getSimpleName();
        return "Return CompletableFuture (or CompletionStage) instead of " + simple + ", which every policy follows to its "
                + "end (Spring MVC accepts it as a controller's return type too); or annotate the method with Spring's "
                + "@Async so that the policies protect its run on the executor thread; or put the annotations on the method "
                + "that does the work.";
    }

    private static boolean isAsync(Method method, Class<?> targetClass) {
        return AnnotatedElementUtils.hasAnnotation(method, Async.class) || AnnotatedElementUtils.hasAnnotation(targetClass, Async.class);
    }

    /**
     * @return whether {@code type}, one of its superclasses or one of the interfaces any of them implements has one of
     *     the given names (looked up by name: the types need not be on the class path)
     */
    static boolean isOrExtends(Class<?> type, Set<String> names) {
        if (type == null || type == Object.class) {
            return false;
        }
        if (names.contains(type.getName())) {
            return true;
        }
        for (Class<?> implemented : type.getInterfaces()) {
            if (isOrExtends(implemented, names)) {
                return true;
            }
        }
        return isOrExtends(type.getSuperclass(), names);
    }
}

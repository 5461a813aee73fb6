package dev.resilience.spring.aspectj;

import dev.resilience.core.ShutdownGate;
import dev.resilience.spring.interceptor.MethodSpecResolver;
import dev.resilience.spring.interceptor.ResilienceMethodInterceptor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.ClassUtils;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * What ties the aspect, a singleton AspectJ creates, to the Spring side of one running application context: its
 * spec resolver and shutdown gate, and the interception of each woven class, resolved on the class's first call (or at
 * start-up, for a bean). A context in AspectJ mode binds one at start-up and unbinds it when it closes.
 *
 * <p>With no context bound (before one has started, after it has closed, or where only proxy-mode contexts run in a
 * JVM with the weaver on) a woven method runs without the aspect's protection, and the first such call of each method
 * logs one WARN saying so. Failing those calls instead would break code that legitimately runs outside an AspectJ-mode
 * context: unit tests of plain classes in a JVM started with the agent, or the applications of a test suite whose
 * other contexts use proxy mode (their proxies still protect their beans). Where several contexts in AspectJ mode run
 * at once (cached test contexts), the most recently started one protects all woven calls.
 *
 * <p>Thread-safe: a call reads one volatile field and one concurrent map.
 */
final class AspectJBinding {

    private static final Log LOG = LogFactory.getLog(ResilienceAspect.class);

    /** The contexts in AspectJ mode that are running, oldest first. */
    private static final Deque<AspectJBinding> BOUND = new ArrayDeque<>();

    private static volatile AspectJBinding current;

    /** The methods already called unprotected (one WARN each). */
    private static final Set<Method> WARNED = ConcurrentHashMap.newKeySet();

    private final Supplier<MethodSpecResolver> resolver;
    private final Supplier<ShutdownGate> gate;
    private final ConcurrentMap<Class<?>, ResilienceMethodInterceptor> interceptors = new ConcurrentHashMap<>();

    AspectJBinding(Supplier<MethodSpecResolver> resolver, Supplier<ShutdownGate> gate) {
        this.resolver = resolver;
        this.gate = gate;
    }

    /** @return the binding of the most recently started context in AspectJ mode that is still running, or {@code null} */
    static AspectJBinding current() {
        return current;
    }

    static void bind(AspectJBinding binding) {
        synchronized (BOUND) {
            BOUND.remove(binding);
            BOUND.addLast(binding);
            current = binding;
        }
    }

    static void unbind(AspectJBinding binding) {
        synchronized (BOUND) {
            BOUND.remove(binding);
            current = BOUND.peekLast();
        }
    }

    /**
     * Notes a woven method called with no context bound; the first time for a method it logs a WARN.
     *
     * @param method the woven method
     */
    static void calledUnbound(Method method) {
        if (WARNED.add(method) && LOG.isWarnEnabled()) {
            LOG.warn("Method " + method.getDeclaringClass().getName() + "." + method.getName() + " is woven by "
                    + ResilienceAspect.class.getName() + " but runs UNPROTECTED: no application context with "
                    + "resilience.aop.mode=aspectj is running (the call came before one started or after it closed, or "
                    + "the application uses proxy mode, where only calls through the bean's proxy are protected). "
                    + "Logged once per method.");
        }
    }

    /**
     * @param type the class of a woven object (or the declaring class, for a static method)
     * @return the interception of its annotated methods, resolved on the first call from that class
     * @throws dev.resilience.spring.ResilienceConfigurationException describing a misuse of an annotation in the class;
     *     every call of its annotated methods fails with it, as start-up would for a bean
     */
    ResilienceMethodInterceptor interceptorFor(Class<?> type) {
        ResilienceMethodInterceptor interceptor = interceptors.get(type);
        return interceptor != null ? interceptor : resolve(type, "(an instance of " + type.getName() + ")");
    }

    /**
     * Resolves a bean's class at start-up, so that a misuse fails start-up as in proxy mode.
     *
     * @param type the class of the bean's target object
     * @param beanName the bean's name
     * @return the interception of its annotated methods
     */
    ResilienceMethodInterceptor prepare(Class<?> type, String beanName) {
        ResilienceMethodInterceptor interceptor = interceptors.get(type);
        return interceptor != null ? interceptor : resolve(type, beanName);
    }

    /** Resolved outside the map's locks: resolving creates instances, whose customizers are the application's code. */
    private ResilienceMethodInterceptor resolve(Class<?> type, String name) {
        ResilienceMethodInterceptor resolved = ResilienceMethodInterceptor.forWovenClass(resolver.get(), gate.get(),
                ClassUtils.getUserClass(type), name);
        ResilienceMethodInterceptor raced = interceptors.putIfAbsent(type, resolved);
        return raced != null ? raced : resolved;
    }
}

package dev.resilience.spring.aspectj;

import dev.resilience.core.ShutdownGate;
import dev.resilience.spring.ResilienceConfigurationException;
import dev.resilience.spring.interceptor.MethodSpecResolver;
import dev.resilience.spring.interceptor.ResilienceMethodInterceptor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ClassUtils;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Spring side of AspectJ mode ({@code resilience.aop.mode=aspectj}), registered instead of the proxy-creating
 * post-processor. Created early, like every post-processor, it checks that the weaver wove {@link ResilienceAspect}
 * (start-up fails otherwise: no annotation would have any effect) and binds the aspect to this context's
 * configuration, until the context closes. It creates no proxies; for each bean with annotated methods it resolves
 * them at start-up, so that a misuse fails start-up as in proxy mode, checks that the aspect's pointcut selects each of
 * them (start-up fails otherwise) and warns about each that the weaver left alone (a class outside aop.xml's include
 * list).
 */
public class ResilienceAspectJPostProcessor implements BeanPostProcessor, DisposableBean, AopInfrastructureBean {

    private static final List<Class<? extends Annotation>> ANNOTATIONS = List.of(
            dev.resilience.annotation.CircuitBreaker.class, dev.resilience.annotation.Retry.class,
            dev.resilience.annotation.Bulkhead.class, dev.resilience.annotation.RateLimited.class,
            dev.resilience.annotation.Timeout.class);

    private static final Log LOG = LogFactory.getLog(ResilienceAspectJPostProcessor.class);

    private final AspectJBinding binding;

    /**
     * @param resolver supplies the resolver lazily (its registries are created on first need)
     * @param gate supplies the shutdown gate shared by all annotated methods
     * @param classLoader the application's class loader, where the aspect must have been woven
     * @throws ResilienceConfigurationException when AspectJ's weaver is missing or did not weave the aspect
     */
    public ResilienceAspectJPostProcessor(Supplier<MethodSpecResolver> resolver, Supplier<ShutdownGate> gate,
                                          ClassLoader classLoader) {
        WeaverCheck.verify(classLoader);
        this.binding = new AspectJBinding(resolver, gate);
        AspectJBinding.bind(binding);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof AopInfrastructureBean) {
            return bean;
        }
        Class<?> type = AopUtils.getTargetClass(bean);
        if (!ResilienceMethodInterceptor.mayHaveAnnotations(ClassUtils.getUserClass(type))) {
            return bean;
        }
        for (Method method : binding.prepare(type, beanName).annotatedMethods()) {
            if (!selectedByTheWeaver(method)) {
                throw new ResilienceConfigurationException(
                        "Method " + method.getDeclaringClass().getName() + "." + method.getName() + " of bean '" + beanName
                                + "' is annotated where the AspectJ weaver does not look (on an interface method, on a method "
                                + "it overrides, on a superclass or an interface of its class, or through a composed annotation), "
                                + "so with resilience.aop.mode=aspectj it would run unprotected.",
                        "Put the annotation on the method itself, or on the class that declares it; or set "
                                + "resilience.aop.mode=proxy, where annotations are found on interfaces and superclasses too.");
            }
            if (!woven(method) && LOG.isWarnEnabled()) {
                LOG.warn("Method " + method.getDeclaringClass().getName() + "." + method.getName() + " of bean '" + beanName
                        + "' carries a resilience annotation but its class was not woven by AspectJ, so its calls run "
                        + "UNPROTECTED (resilience.aop.mode=aspectj creates no proxies). Include the class's package in the "
                        + "<weaver> section of the application's META-INF/aop.xml, e.g. <include within=\""
                        + method.getDeclaringClass().getPackageName() + "..*\"/>.");
            }
        }
        return bean;
    }

    /**
     * Whether AspectJ wove the method: around advice that is not inlined (the case of an annotation-style aspect such
     * as ours, at load time or compile time) moves the method's body into a static method of its class named after it,
     * {@code <method>_aroundBody<n>}. An implementation detail of AspectJ, hence a warning rather than a failure.
     */
    private static boolean woven(Method method) {
        String body = method.getName() + "_aroundBody";
        for (Method declared : method.getDeclaringClass().getDeclaredMethods()) {
            if (declared.getName().startsWith(body)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Mirrors the aspect's pointcut: an annotation written on the method, or on the class declaring it for a public
     * instance method. Neither Java nor AspectJ sees method annotations of overridden methods or composed annotations.
     */
    private static boolean selectedByTheWeaver(Method method) {
        boolean publicInstance = Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers());
        for (Class<? extends Annotation> annotation : ANNOTATIONS) {
            if (method.getDeclaredAnnotation(annotation) != null
                    || (publicInstance && method.getDeclaringClass().getDeclaredAnnotation(annotation) != null)) {
                return true;
            }
        }
        return false;
    }

    /** Unbinds the aspect: woven methods called from now on run unprotected (one WARN each), unless another context binds it. */
    @Override
    public void destroy() {
        AspectJBinding.unbind(binding);
    }
}

package dev.resilience.spring.interceptor;

import dev.resilience.core.ShutdownGate;
import dev.resilience.spring.ResilienceConfigurationException;
import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.framework.ProxyProcessorSupport;
import org.springframework.aop.interceptor.AsyncExecutionInterceptor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Proxies every bean that has methods carrying our annotations. At post-processing, all annotated
 * methods of the bean's class are resolved and checked (a mistake fails start-up); the proxy gets one
 * interceptor for the whole class. An existing proxy gets our advisor added in front of its others, so
 * a retry runs outside, for example, a transaction; but behind an {@code @Async} interceptor, so that the
 * policies protect the method's execution on the executor thread rather than the submission of the task.
 *
 * <p>Every way a call can reach an annotated method (the method itself, the compiler's bridge methods for
 * generic and covariant overrides, the interface methods a JDK proxy reports) is entered in the interceptor's
 * map at start-up, so a call costs one exact lookup.
 */
public class ResilienceAnnotationBeanPostProcessor extends ProxyProcessorSupport implements BeanPostProcessor, BeanFactoryAware {

    private static final long serialVersionUID = 1L;

    private static final Set<Class<? extends Annotation>> ANNOTATIONS = Set.of(
            dev.resilience.annotation.CircuitBreaker.class, dev.resilience.annotation.Retry.class,
            dev.resilience.annotation.Bulkhead.class, dev.resilience.annotation.RateLimited.class,
            dev.resilience.annotation.Timeout.class);

    private final transient Supplier<MethodSpecResolver> resolver;
    private final transient Supplier<ShutdownGate> gate;
    private transient MethodSpecResolver resolved;

    /**
     * @param resolver supplies the resolver lazily (its registries are created on first need)
     * @param gate supplies the shutdown gate shared by all annotated methods
     */
    public ResilienceAnnotationBeanPostProcessor(Supplier<MethodSpecResolver> resolver, Supplier<ShutdownGate> gate) {
        this.resolver = resolver;
        this.gate = gate;
        setProxyTargetClass(true);
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        // nothing needed beyond the suppliers; present so subclasses may hook in
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof AopInfrastructureBean) {
            return bean;
        }
        Class<?> targetClass = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
        if (!mayHaveAnnotations(targetClass)) {
            return bean;
        }
        Map<Method, MethodSpec> specs = resolveAll(targetClass, beanName);
        if (specs.isEmpty()) {
            return bean;
        }
        boolean existingProxy = bean instanceof Advised advised && !advised.isFrozen() && AopUtils.isAopProxy(bean);
        ProxyFactory proxyFactory = existingProxy ? null : new ProxyFactory(bean);
        ResilienceMethodInterceptor interceptor = new ResilienceMethodInterceptor(specs, gate.get(),
                existingProxy ? AttemptRunner.ALWAYS_CLONE : AttemptRunner.following(proxyFactory));
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(new StaticMethodMatcherPointcut() {
            @Override
            public boolean matches(Method method, Class<?> type) {
                return interceptor.handles(method);
            }
        }, interceptor);
        if (existingProxy) {
            Advised advised = (Advised) bean;
            checkFinalMethods(specs, targetClass, beanName, AopUtils.isCglibProxy(bean));
            advised.addAdvisor(positionFor(advised), advisor);
            return bean;
        }
        proxyFactory.copyFrom(this);
        if (!proxyFactory.isProxyTargetClass()) {
            evaluateProxyInterfaces(bean.getClass(), proxyFactory);
        }
        checkFinalMethods(specs, targetClass, beanName, proxyFactory.isProxyTargetClass());
        proxyFactory.addAdvisor(advisor);
        return proxyFactory.getProxy(getProxyClassLoader());
    }

    /**
     * Ours goes in front of the proxy's other advisors (a retry runs outside a transaction), but behind an
     * {@code @Async} interceptor: the policies must protect the method's execution on the executor thread, not
     * the submission of the task, which always succeeds at once.
     */
    private static int positionFor(Advised advised) {
        Advisor[] advisors = advised.getAdvisors();
        int position = 0;
        for (int i = 0; i < advisors.length; i++) {
            if (advisors[i].getAdvice() instanceof AsyncExecutionInterceptor) {
                position = i + 1;
            }
        }
        return position;
    }

    /**
     * A class proxy cannot override a final method: calls would run unprotected (Spring only logs it). Through
     * an interface proxy, a final method is reached through its interface and called on the target, so only a
     * final method that implements no interface method is unreachable there.
     */
    private static void checkFinalMethods(Map<Method, MethodSpec> specs, Class<?> targetClass, String beanName,
                                          boolean classProxy) {
        for (Method method : specs.keySet()) {
            if (method.getDeclaringClass().isInterface() || !Modifier.isFinal(method.getModifiers())) {
                continue;
            }
            if (!classProxy && implementsInterfaceMethod(method, targetClass)) {
                continue;
            }
            throw new ResilienceConfigurationException(
                    "Method " + targetClass.getName() + "." + method.getName() + " of bean '" + beanName
                            + "' carries a resilience annotation but is final, so the "
                            + (classProxy ? "class proxy cannot override it" : "interface proxy cannot reach it")
                            + " and the annotation would have no effect.",
                    "Remove 'final' from the method, or remove the annotation.");
        }
    }

    private static boolean implementsInterfaceMethod(Method method, Class<?> targetClass) {
        for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(targetClass)) {
            for (Method interfaceMethod : type.getMethods()) {
                Method specific = ClassUtils.getMostSpecificMethod(interfaceMethod, targetClass);
                if (BridgeMethodResolver.findBridgedMethod(specific).equals(method)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A cheap check that needs no registries, so infrastructure beans created early are never held up. */
    static boolean mayHaveAnnotations(Class<?> targetClass) {
        if (!AnnotationUtils.isCandidateClass(targetClass, ANNOTATIONS)) {
            return false;
        }
        for (Class<? extends Annotation> annotation : ANNOTATIONS) {
            if (AnnotatedElementUtils.hasAnnotation(targetClass, annotation)) {
                return true;
            }
        }
        boolean[] found = new boolean[1];
        ReflectionUtils.doWithMethods(targetClass, method -> {
            for (Class<? extends Annotation> annotation : ANNOTATIONS) {
                if (AnnotatedElementUtils.hasAnnotation(method, annotation)) {
                    found[0] = true;
                    return;
                }
            }
        }, method -> !found[0] && method.getDeclaringClass() != Object.class);
        return found[0];
    }

    private Map<Method, MethodSpec> resolveAll(Class<?> targetClass, String beanName) {
        return resolver().resolveAll(targetClass, beanName, true);
    }

    private MethodSpecResolver resolver() {
        MethodSpecResolver current = resolved;
        if (current == null) {
            current = resolved = resolver.get();
        }
        return current;
    }
}

package dev.resilience.spring.interceptor;

import dev.resilience.core.ShutdownGate;
import dev.resilience.spring.autoconfigure.ResilienceConfigurationException;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.framework.ProxyProcessorSupport;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Proxies every bean that has methods carrying our annotations. At post-processing, all annotated
 * methods of the bean's class are resolved and checked (a mistake fails start-up); the proxy gets one
 * interceptor for the whole class. An existing proxy gets our advisor added in front of its others, so
 * a retry runs outside, for example, a transaction.
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
            ((Advised) bean).addAdvisor(0, advisor);
            return bean;
        }
        proxyFactory.copyFrom(this);
        if (!proxyFactory.isProxyTargetClass()) {
            evaluateProxyInterfaces(bean.getClass(), proxyFactory);
        }
        proxyFactory.addAdvisor(advisor);
        return proxyFactory.getProxy(getProxyClassLoader());
    }

    /** A cheap check that needs no registries, so infrastructure beans created early are never held up. */
    private static boolean mayHaveAnnotations(Class<?> targetClass) {
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
        Map<Method, MethodSpec> specs = new HashMap<>();
        for (Method declared : ReflectionUtils.getUniqueDeclaredMethods(targetClass, ReflectionUtils.USER_DECLARED_METHODS)) {
            Method method = BridgeMethodResolver.findBridgedMethod(declared);
            if (Modifier.isStatic(method.getModifiers()) || Modifier.isPrivate(method.getModifiers())) {
                if (resolver().hasAnnotations(method)) {
                    throw new ResilienceConfigurationException(
                            "Method " + targetClass.getName() + "." + method.getName() + " of bean '" + beanName
                                    + "' carries a resilience annotation but is " + (Modifier.isStatic(method.getModifiers()) ? "static" : "private")
                                    + ", so no proxy can intercept it and the annotation would have no effect.",
                            "Make the method public (and not static), or remove the annotation.");
                }
                continue;
            }
            MethodSpec spec = resolver().resolve(method, targetClass, beanName);
            if (spec != null) {
                specs.put(method, spec);
                if (declared != method) {
                    specs.put(declared, spec);
                }
            }
        }
        if (specs.isEmpty()) {
            return specs;
        }
        // JDK proxies report interface methods: map each to the spec of the method implementing it.
        for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(targetClass)) {
            for (Method interfaceMethod : type.getMethods()) {
                Method specific = ClassUtils.getMostSpecificMethod(interfaceMethod, targetClass);
                MethodSpec spec = specs.get(BridgeMethodResolver.findBridgedMethod(specific));
                if (spec != null) {
                    specs.putIfAbsent(interfaceMethod, spec);
                }
            }
        }
        return specs;
    }

    private MethodSpecResolver resolver() {
        MethodSpecResolver current = resolved;
        if (current == null) {
            current = resolved = resolver.get();
        }
        return current;
    }
}

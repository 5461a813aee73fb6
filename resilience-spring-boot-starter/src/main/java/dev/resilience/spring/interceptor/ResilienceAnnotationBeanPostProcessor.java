package dev.resilience.spring.interceptor;

import dev.resilience.core.ShutdownGate;
import dev.resilience.spring.ResilienceConfigurationException;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Advisor;
import org.springframework.aop.ClassFilter;
import org.springframework.aop.MethodMatcher;
import org.springframework.aop.Pointcut;
import org.springframework.aop.SpringProxy;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.interceptor.AsyncExecutionInterceptor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.SmartClassLoader;
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
 *
 * <p>Ahead-of-time processing: proxies are made the way Spring Framework's own advising post-processors make them
 * (this class extends {@link AbstractBeanFactoryAwareAdvisingPostProcessor}), so that when an application is processed
 * ahead of time, {@link #determineBeanType} tells Spring AOT the proxy class of each annotated bean and the class is
 * generated at build time; with {@code spring.aot.enabled=true} (and in a native image, which cannot define classes at
 * run time) the proxy of each bean is an instance of that class, loaded instead of generated. The base class's single
 * advisor decides, from the annotations alone, which classes get a proxy and gives the build-time proxy class its
 * shape; each proxied bean carries an advisor of its own, holding its resolved methods.
 */
public class ResilienceAnnotationBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

    private static final long serialVersionUID = 1L;

    private static final Set<Class<? extends Annotation>> ANNOTATIONS = Set.of(
            dev.resilience.annotation.CircuitBreaker.class, dev.resilience.annotation.Retry.class,
            dev.resilience.annotation.Bulkhead.class, dev.resilience.annotation.RateLimited.class,
            dev.resilience.annotation.Timeout.class);

    /**
     * The base class's advisor matches the classes that get a proxy, decided from our annotations alone (no registries
     * are needed, so infrastructure beans created early are never held up; which methods are intercepted is decided
     * per bean, when its methods are resolved). It is never added to a proxy: each bean's proxy gets an advisor of its
     * own, so the base class uses this one only to decide eligibility and, ahead of time, to generate the proxy class,
     * whose shape does not depend on the advice.
     */
    private static final Pointcut ANNOTATED_CLASSES = new Pointcut() {
        @Override
        public ClassFilter getClassFilter() {
            return ResilienceAnnotationBeanPostProcessor::mayHaveAnnotations;
        }

        @Override
        public MethodMatcher getMethodMatcher() {
            return MethodMatcher.TRUE;
        }

        @Override
        public String toString() {
            return "classes carrying resilience annotations";
        }
    };

    /** The advice of {@link #ANNOTATED_CLASSES}'s advisor, which no proxy carries (see there). */
    private static final MethodInterceptor UNRESOLVED = MethodInvocation::proceed;

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
        this.advisor = new DefaultPointcutAdvisor(ANNOTATED_CLASSES, UNRESOLVED);
    }

    /**
     * The class of the proxy this post-processor will make of a bean of {@code beanClass}, as Spring's base class
     * determines it (called while an application is processed ahead of time, so that the class is generated then).
     * A bean that another post-processor proxies already gets our advisor added to its proxy at run time: its class
     * stays the one that post-processor determined.
     */
    @Override
    public Class<?> determineBeanType(Class<?> beanClass, String beanName) {
        if (SpringProxy.class.isAssignableFrom(beanClass)) {
            return beanClass;
        }
        return super.determineBeanType(beanClass, beanName);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof AopInfrastructureBean) {
            return bean;
        }
        boolean existingProxy = bean instanceof Advised advised && !advised.isFrozen() && AopUtils.isAopProxy(bean);
        Class<?> targetClass = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
        if (existingProxy ? !isEligible(targetClass) : !isEligible(bean, beanName)) {
            return bean;
        }
        Map<Method, MethodSpec> specs = resolveAll(targetClass, beanName);
        if (specs.isEmpty()) {
            return bean;
        }
        if (existingProxy) {
            Advised advised = (Advised) bean;
            checkFinalMethods(specs, targetClass, beanName, AopUtils.isCglibProxy(bean));
            advised.addAdvisor(positionFor(advised), advisorFor(specs, AttemptRunner.ALWAYS_CLONE));
            return bean;
        }
        // The steps of the base class's own proxy creation, so that the proxy's class is the one determineBeanType
        // gave for the bean's class (the one generated at build time when the application was processed ahead of time).
        ProxyFactory proxyFactory = prepareProxyFactory(bean, beanName);
        if (!proxyFactory.isProxyTargetClass() && proxyFactory.getProxiedInterfaces().length == 0) {
            evaluateProxyInterfaces(bean.getClass(), proxyFactory);
        }
        checkFinalMethods(specs, targetClass, beanName, proxyFactory.isProxyTargetClass());
        proxyFactory.addAdvisor(advisorFor(specs, AttemptRunner.following(proxyFactory)));
        customizeProxyFactory(proxyFactory);
        proxyFactory.setFrozen(isFrozen());
        ClassLoader classLoader = getProxyClassLoader();
        if (classLoader instanceof SmartClassLoader smartClassLoader && classLoader != bean.getClass().getClassLoader()) {
            classLoader = smartClassLoader.getOriginalClassLoader();
        }
        return proxyFactory.getProxy(classLoader);
    }

    /** @return the advisor of one bean: its interceptor, and a pointcut matching exactly the methods it has specs for */
    private Advisor advisorFor(Map<Method, MethodSpec> specs, AttemptRunner attempts) {
        ResilienceMethodInterceptor interceptor = new ResilienceMethodInterceptor(specs, gate.get(), attempts);
        return new DefaultPointcutAdvisor(new StaticMethodMatcherPointcut() {
            @Override
            public boolean matches(Method method, Class<?> type) {
                return interceptor.handles(method);
            }
        }, interceptor);
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

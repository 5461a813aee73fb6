package dev.resilience.spring.aot;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.RateLimited;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * At build time, registers the hints that depend on the application: every method a {@code fallbackMethod} names
 * (invoked reflectively), and every exception class named in {@code resilience.*} properties (loaded by name when
 * the registries are built).
 */
public final class ResilienceBeanFactoryInitializationAotProcessor implements BeanFactoryInitializationAotProcessor {

    private static final List<Class<? extends Annotation>> ANNOTATIONS = List.of(
            CircuitBreaker.class, Retry.class, Bulkhead.class, RateLimited.class, Timeout.class);

    /** The kinds whose configs and instances may name exception classes. */
    private static final List<String> KINDS = List.of("circuitbreaker", "retry");

    @Override
    public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
        Set<Class<?>> fallbackOwners = new LinkedHashSet<>();
        Map<Class<?>, Set<String>> fallbacks = new LinkedHashMap<>();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            Class<?> type = RegisteredBean.of(beanFactory, name).getBeanClass();
            Class<?> user = ClassUtils.getUserClass(type);
            if (fallbackOwners.add(user)) {
                Set<String> names = fallbackNames(user);
                if (!names.isEmpty()) {
                    fallbacks.put(user, names);
                }
            }
        }
        Set<String> exceptionClasses = exceptionClassNames(beanFactory);
        if (fallbacks.isEmpty() && exceptionClasses.isEmpty()) {
            return null;
        }
        ClassLoader classLoader = beanFactory.getBeanClassLoader();
        return (generationContext, code) -> register(generationContext.getRuntimeHints(), fallbacks, exceptionClasses,
                classLoader);
    }

    private static void register(RuntimeHints hints, Map<Class<?>, Set<String>> fallbacks, Set<String> exceptionClasses,
                                 @Nullable ClassLoader classLoader) {
        fallbacks.forEach((type, names) -> ReflectionUtils.doWithMethods(type,
                method -> hints.reflection().registerMethod(method, ExecutableMode.INVOKE),
                method -> names.contains(method.getName())));
        for (String exception : exceptionClasses) {
            if (ClassUtils.isPresent(exception, classLoader)) {
                hints.reflection().registerType(TypeReference.of(exception));
            }
        }
    }

    /** @return the fallback method names our annotations on the class and its methods give */
    static Set<String> fallbackNames(Class<?> type) {
        Set<String> names = new LinkedHashSet<>();
        collect(type, names);
        ReflectionUtils.doWithMethods(type, method -> collect(method, names));
        return names;
    }

    private static void collect(AnnotatedElement element, Set<String> names) {
        for (Class<? extends Annotation> annotation : ANNOTATIONS) {
            var found = AnnotatedElementUtils.findMergedAnnotationAttributes(element, annotation, false, false);
            if (found != null) {
                String fallback = found.getString("fallbackMethod");
                if (!fallback.isEmpty()) {
                    names.add(fallback);
                }
            }
        }
    }

    /** @return every class name the exception-list properties of every config and instance hold */
    private static Set<String> exceptionClassNames(ConfigurableListableBeanFactory beanFactory) {
        Set<String> names = new LinkedHashSet<>();
        if (!beanFactory.containsBean(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME)) {
            return names;
        }
        Environment environment = beanFactory.getBean(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME,
                Environment.class);
        // Spring's binder, so that every form a property can take (a YAML list, indexed, comma-separated) reads as it
        // does at run time.
        Binder binder = Binder.get(environment);
        for (String kind : KINDS) {
            for (String group : List.of("configs", "instances")) {
                binder.bind("resilience." + kind + "." + group, Bindable.mapOf(String.class, ExceptionLists.class))
                        .ifBound(entries -> entries.values().forEach(lists -> addAll(names, lists.recordExceptions(),
                                lists.ignoreExceptions(), lists.retryExceptions(), lists.retryRejections())));
            }
        }
        return names;
    }

    /**
     * The exception-list settings of one config or instance of any kind (each kind has some of them); the others are
     * left unbound.
     */
    record ExceptionLists(@Nullable List<String> recordExceptions, @Nullable List<String> ignoreExceptions,
                          @Nullable List<String> retryExceptions, @Nullable List<String> retryRejections) {
    }

    @SafeVarargs
    private static void addAll(Set<String> names, @Nullable List<String>... lists) {
        for (List<String> list : lists) {
            if (list != null) {
                list.stream().map(String::trim).filter(name -> !name.isEmpty()).forEach(names::add);
            }
        }
    }
}

package dev.resilience.spring.interceptor;

import dev.resilience.Policy;
import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.RateLimited;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.Invoker;
import dev.resilience.spring.ResilienceConfigurationException;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.keyed.KeyedInstances;
import dev.resilience.core.Clock;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Reads the annotations of a method (and of its class) once and resolves them into a {@link MethodSpec}:
 * instances from the registries, composition order, fallbacks, return-type handling. Every misuse is a
 * {@link ResilienceConfigurationException} naming the bean and method, raised at start-up.
 */
public final class MethodSpecResolver {

    private static final List<String> SPRING_ANNOTATIONS = List.of(
            "org.springframework.resilience.annotation.Retryable",
            "org.springframework.resilience.annotation.ConcurrencyLimit");

    private static final Map<String, Class<? extends Annotation>> KINDS = Map.of(
            "retry", Retry.class,
            "circuitbreaker", CircuitBreaker.class,
            "ratelimiter", RateLimited.class,
            "timeout", Timeout.class,
            "bulkhead", Bulkhead.class);

    private final ResilienceRegistries registries;
    private final List<Class<? extends Annotation>> order;
    private final List<Class<? extends Annotation>> springAnnotations;
    private final ReactiveMethodSupport reactive;
    private final MethodObservationSupport observation;
    private final KeyedInstances keyed;

    /**
     * @param registries where instances come from
     * @param order the kinds, outermost first (a permutation of retry, circuitbreaker, ratelimiter, timeout, bulkhead)
     * @param classLoader to detect Spring Framework's own resilience annotations
     */
    public MethodSpecResolver(ResilienceRegistries registries, List<String> order, ClassLoader classLoader) {
        this(registries, order, classLoader, null);
    }

    /**
     * @param registries where instances come from
     * @param order the kinds, outermost first (a permutation of retry, circuitbreaker, ratelimiter, timeout, bulkhead)
     * @param classLoader to detect Spring Framework's own resilience annotations
     * @param reactive protects methods returning a reactive type per subscription; {@code null}: none does (they
     *     are handled as synchronous methods)
     */
    public MethodSpecResolver(ResilienceRegistries registries, List<String> order, ClassLoader classLoader,
                              ReactiveMethodSupport reactive) {
        this(registries, order, classLoader, reactive, null, new KeyedInstances(registries, Clock.system()));
    }

    /**
     * @param registries where instances come from
     * @param order the kinds, outermost first (a permutation of retry, circuitbreaker, ratelimiter, timeout, bulkhead)
     * @param classLoader to detect Spring Framework's own resilience annotations
     * @param reactive protects methods returning a reactive type per subscription; {@code null}: none does
     * @param observation observes each call (and each retry attempt); {@code null}: calls are not observed, at no cost
     */
    public MethodSpecResolver(ResilienceRegistries registries, List<String> order, ClassLoader classLoader,
                              ReactiveMethodSupport reactive, MethodObservationSupport observation) {
        this(registries, order, classLoader, reactive, observation, new KeyedInstances(registries, Clock.system()));
    }

    /**
     * @param registries where instances come from
     * @param order the kinds, outermost first (a permutation of retry, circuitbreaker, ratelimiter, timeout, bulkhead)
     * @param classLoader to detect Spring Framework's own resilience annotations
     * @param reactive protects methods returning a reactive type per subscription; {@code null}: none does
     * @param keyed where the keyed instances of annotations with a {@code key} come from
     */
    public MethodSpecResolver(ResilienceRegistries registries, List<String> order, ClassLoader classLoader,
                              ReactiveMethodSupport reactive, KeyedInstances keyed) {
        this(registries, order, classLoader, reactive, null, keyed);
    }

    /**
     * @param registries where instances come from
     * @param order the kinds, outermost first (a permutation of retry, circuitbreaker, ratelimiter, timeout, bulkhead)
     * @param classLoader to detect Spring Framework's own resilience annotations
     * @param reactive protects methods returning a reactive type per subscription; {@code null}: none does
     * @param observation observes each call (and each retry attempt); {@code null}: calls are not observed, at no cost
     * @param keyed where the keyed instances of annotations with a {@code key} come from
     */
    public MethodSpecResolver(ResilienceRegistries registries, List<String> order, ClassLoader classLoader,
                              ReactiveMethodSupport reactive, MethodObservationSupport observation,
                              KeyedInstances keyed) {
        this.keyed = java.util.Objects.requireNonNull(keyed, "keyed");
        this.registries = registries;
        this.reactive = reactive;
        this.observation = observation;
        this.order = validateOrder(order);
        List<Class<? extends Annotation>> spring = new ArrayList<>();
        for (String name : SPRING_ANNOTATIONS) {
            if (ClassUtils.isPresent(name, classLoader)) {
                spring.add(ClassUtils.resolveClassName(name, classLoader).asSubclass(Annotation.class));
            }
        }
        this.springAnnotations = List.copyOf(spring);
    }

    private static List<Class<? extends Annotation>> validateOrder(List<String> order) {
        List<Class<? extends Annotation>> result = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            String kind = order.get(i) == null ? "" : order.get(i).trim().toLowerCase(java.util.Locale.ROOT);
            Class<? extends Annotation> annotation = KINDS.get(kind);
            if (annotation == null || result.contains(annotation)) {
                throw new ResilienceConfigurationException(
                        "Invalid value '" + order.get(i) + "' for property 'resilience.order[" + i + "]': "
                                + (annotation == null ? "it is not a policy kind" : "it is listed twice")
                                + "; resilience.order must list each of retry, circuitbreaker, ratelimiter, timeout, bulkhead exactly once.",
                        "Set 'resilience.order' to a permutation of retry, circuitbreaker, ratelimiter, timeout, bulkhead (outermost first), "
                                + "or remove it to use that default order.");
            }
            result.add(annotation);
        }
        if (result.size() != KINDS.size()) {
            throw new ResilienceConfigurationException(
                    "Invalid value " + order + " for property 'resilience.order': it must list each of retry, circuitbreaker, "
                            + "ratelimiter, timeout, bulkhead exactly once.",
                    "Add the missing kinds to 'resilience.order', or remove it to use the default order.");
        }
        return List.copyOf(result);
    }

    /**
     * @param method the method as declared on the bean's class
     * @param targetClass the bean's user class
     * @param beanName the bean's name, for messages
     * @return the spec, or {@code null} when no annotation applies to the method
     */
    MethodSpec resolve(Method method, Class<?> targetClass, String beanName) {
        List<Annotation> annotations = new ArrayList<>();
        for (Class<? extends Annotation> kind : order) {
            Annotation annotation = find(method, targetClass, kind);
            if (annotation != null) {
                annotations.add(annotation);
            }
        }
        if (annotations.isEmpty()) {
            return null;
        }
        for (Class<? extends Annotation> spring : springAnnotations) {
            if (AnnotatedElementUtils.hasAnnotation(method, spring) || AnnotatedElementUtils.hasAnnotation(targetClass, spring)) {
                throw failure(beanName, method, "it carries both our annotations and Spring Framework's @" + spring.getSimpleName()
                                + ", which would apply a second, independent layer of retries or concurrency limits",
                        "Remove @" + spring.getSimpleName() + " from the method (or its class) and configure the equivalent "
                                + "with our annotations, or remove ours.");
            }
        }
        boolean async = CompletionStage.class.isAssignableFrom(method.getReturnType());
        boolean completableFuture = CompletableFuture.class.isAssignableFrom(method.getReturnType());
        boolean reactiveMethod = !async && reactive != null && reactive.isReactive(method);
        if (!async && !reactiveMethod && ReactiveMethodSupport.returnsReactiveType(method)) {
            // Protecting the call would protect only the building of the publisher: never silently.
            Class<?>[] parameters = method.getParameterTypes();
            boolean suspending = parameters.length > 0
                    && "kotlin.coroutines.Continuation".equals(parameters[parameters.length - 1].getName());
            throw failure(beanName, method, (suspending ? "it is a Kotlin suspend function" : "it returns "
                            + method.getGenericReturnType().getTypeName()) + ", whose work runs after the method has returned (when what it "
                            + "returns is subscribed), but no reactive support " + (reactive == null ? "is configured" : "handles it")
                            + ": the policies would protect nothing but the building of a publisher",
                    "Add dev.resilience:resilience-reactor (which brings Project Reactor) to the application, and for Kotlin suspend "
                            + "functions and Flow org.jetbrains.kotlinx:kotlinx-coroutines-reactor, so that each subscription is protected; "
                            + "or remove the annotations from the method.");
        }
        if (!async && !reactiveMethod) {
            String deferred = DeferredReturnTypes.problem(method, targetClass);
            if (deferred != null) {
                throw failure(beanName, method, deferred, DeferredReturnTypes.action(method));
            }
        }
        List<Policy> policies = new ArrayList<>();
        List<Predicate<Throwable>> ignores = new ArrayList<>();
        Annotation namingFallback = null;
        String fallbackName = "";
        boolean retries = false;
        dev.resilience.retry.Retry retryInstance = null;
        boolean keyedLinks = false;
        for (Annotation annotation : annotations) {
            Policy policy;
            String named;
            if (annotation instanceof Retry retry) {
                dev.resilience.retry.Retry instance = registries.retries().get(retry.name());
                policy = instance;
                retryInstance = instance;
                named = retry.fallbackMethod();
                ignores.add(PolicyExceptions.ignoredBy(instance));
                retries = true;
            } else if (annotation instanceof CircuitBreaker breaker) {
                dev.resilience.circuitbreaker.CircuitBreaker instance = registries.circuitBreakers().get(breaker.name());
                policy = instance;
                named = breaker.fallbackMethod();
                ignores.add(PolicyExceptions.ignoredBy(instance));
            } else if (annotation instanceof RateLimited limited) {
                if (limited.key().isEmpty()) {
                    checkNotKeyed("ratelimiter", "@RateLimited", limited.name(), beanName, method);
                    policy = registries.rateLimiters().get(limited.name());
                } else {
                    String where = "@RateLimited(name = \"" + limited.name() + "\", key = \"" + limited.key() + "\")";
                    checkNotPlain(registries.rateLimiters().find(limited.name()).isPresent(), "ratelimiter", where, beanName, method);
                    policy = new KeyedLink(keyed.rateLimiter(limited.name()), keyExpression(limited.key(), where, beanName, method));
                    keyedLinks = true;
                }
                named = limited.fallbackMethod();
            } else if (annotation instanceof Timeout timeout) {
                policy = registries.timeouts().get(timeout.name());
                named = timeout.fallbackMethod();
            } else {
                Bulkhead bulkhead = (Bulkhead) annotation;
                if (bulkhead.type() == Bulkhead.Type.THREADPOOL && !bulkhead.key().isEmpty()) {
                    throw failure(beanName, method, "@Bulkhead(name = \"" + bulkhead.name() + "\", type = THREADPOOL, key = \""
                                    + bulkhead.key() + "\") asks for a thread pool per key, which is not supported: each key would own "
                                    + "threads, and a bound of max-keys pools would hold thousands of them",
                            "Use @Bulkhead(type = SEMAPHORE, key = ...) (the default type) to limit concurrent calls per key, and "
                                    + "run the work on an executor of your own if it must leave the caller's thread; or remove the key.");
                }
                if (bulkhead.type() == Bulkhead.Type.THREADPOOL) {
                    if (reactiveMethod) {
                        throw failure(beanName, method, "@Bulkhead(name = \"" + bulkhead.name() + "\", type = THREADPOOL) runs the method on "
                                        + "a thread pool, but the method returns the reactive type " + method.getReturnType().getTypeName()
                                        + ", whose work runs when it is subscribed, not when the method returns",
                                "Use @Bulkhead(type = SEMAPHORE) (the default), which limits concurrent subscriptions, and move "
                                        + "blocking work onto a scheduler inside the publisher (subscribeOn(Schedulers.boundedElastic())).");
                    }
                    if (!async) {
                        throw failure(beanName, method, "@Bulkhead(name = \"" + bulkhead.name() + "\", type = THREADPOOL) runs the method on "
                                        + "a thread pool and needs a method returning CompletionStage or CompletableFuture, but it returns "
                                        + method.getReturnType().getTypeName(),
                                "Make the method return CompletableFuture<" + method.getReturnType().getSimpleName()
                                        + ">, or use @Bulkhead(type = SEMAPHORE) (the default).");
                    }
                    policy = registries.threadPoolBulkheads().get(bulkhead.name());
                } else if (bulkhead.key().isEmpty()) {
                    checkNotKeyed(dev.resilience.bulkhead.Bulkhead.KIND, "@Bulkhead", bulkhead.name(), beanName, method);
                    policy = registries.bulkheads().get(bulkhead.name());
                } else {
                    String where = "@Bulkhead(name = \"" + bulkhead.name() + "\", key = \"" + bulkhead.key() + "\")";
                    checkNotPlain(registries.bulkheads().find(bulkhead.name()).isPresent(), dev.resilience.bulkhead.Bulkhead.KIND,
                            where, beanName, method);
                    policy = new KeyedLink(keyed.bulkhead(bulkhead.name()), keyExpression(bulkhead.key(), where, beanName, method));
                    keyedLinks = true;
                }
                named = bulkhead.fallbackMethod();
            }
            policies.add(policy);
            if (named.isEmpty()) {
                continue;
            }
            if (namingFallback != null && !named.equals(fallbackName)) {
                throw failure(beanName, method, "@" + namingFallback.annotationType().getSimpleName() + " names the fallback method '"
                                + fallbackName + "' and @" + annotation.annotationType().getSimpleName() + " names '" + named
                                + "', but a method has one fallback, which runs once outside all of its policies",
                        "Name one fallback method: set fallbackMethod on one annotation only (or the same name on each), and "
                                + "give it overloads with different exception parameters to handle failures differently.");
            }
            namingFallback = annotation;
            fallbackName = named;
        }
        Fallback fallback = null;
        ReactiveMethodSupport.FallbackCall reactiveFallback = null;
        if (namingFallback != null) {
            try {
                reactiveFallback = reactiveMethod ? reactive.fallback(method, targetClass, fallbackName) : null;
            } catch (IllegalArgumentException e) {
                throw failure(beanName, method, "the fallback method '" + fallbackName + "' of @"
                                + namingFallback.annotationType().getSimpleName() + " cannot be used: " + e.getMessage(),
                        "Declare the method '" + fallbackName + "' in " + targetClass.getName() + " as the message says.");
            }
            try {
                fallback = reactiveFallback != null ? null : Fallback.resolve(targetClass, method, fallbackName, async || reactiveMethod);
            } catch (IllegalArgumentException e) {
                throw failure(beanName, method, "the fallback method '" + fallbackName + "' of @"
                                + namingFallback.annotationType().getSimpleName() + " cannot be used: " + e.getMessage(),
                        "Declare a method '" + fallbackName + "' in " + targetClass.getName() + " returning "
                                + ResolvableType.forMethodReturnType(method, targetClass) + " with the parameters of "
                                + method.getName() + " plus, optionally, a trailing Throwable (or subtype) parameter, "
                                + "declaring no checked exception that " + method.getName() + " does not declare.");
            }
        }
        Invoker invoker = Invoker.DIRECT;
        AsyncInvoker asyncInvoker = AsyncInvoker.DIRECT;
        for (int i = policies.size() - 1; i >= 0; i--) {
            if (async || reactiveMethod) {
                asyncInvoker = policies.get(i).decorateAsync(asyncInvoker);
            } else {
                invoker = policies.get(i).decorate(invoker);
            }
        }
        if (observation != null) {
            // Inside the fallback: the observation ends with the policies' outcome, before a fallback replaces it.
            MethodObservationSupport.ObservedMethod observed = new MethodObservationSupport.ObservedMethod(method, targetClass,
                    List.copyOf(policies), retryInstance);
            if (async || reactiveMethod) {
                asyncInvoker = observation.observeAsync(asyncInvoker, observed);
            } else {
                invoker = observation.observe(invoker, observed);
            }
        }
        // One fallback decision per method, outside every policy: retries are exhausted (and rejections made)
        // before it runs, and what it throws is never retried.
        if (reactiveMethod) {
            // The same chain and the same one fallback as for a CompletionStage method; the fallback is applied to
            // the error of each protected subscription, outside all of the policies.
            Predicate<Throwable> withheld = PolicyExceptions.withheldFromFallback(ignores);
            ReactiveMethodSupport.ReactiveCall call;
            try {
                call = reactive.create(new ReactiveMethodSupport.ReactiveMethod(method, targetClass, policies.get(0).name(),
                        asyncInvoker, reactiveFallback != null ? reactiveFallback : fallback == null ? null : fallback::invoke,
                        withheld, keyedLinks));
            } catch (IllegalArgumentException e) {
                throw failure(beanName, method, e.getMessage(), "Change the method or its fallback as the message says.");
            }
            return new MethodSpec(List.copyOf(policies), invoker, asyncInvoker, false, false, false, call);
        }
        if (fallback != null) {
            Predicate<Throwable> withheld = PolicyExceptions.withheldFromFallback(ignores);
            if (async) {
                asyncInvoker = FallbackInvokers.async(asyncInvoker, fallback, withheld);
            } else {
                invoker = FallbackInvokers.sync(invoker, fallback, withheld);
            }
        }
        return new MethodSpec(List.copyOf(policies), invoker, asyncInvoker, async, completableFuture, retries, null);
    }

    /**
     * Resolves every annotated method of a class, and maps each way a call can reach one (the compiler's bridge
     * methods for generic and covariant overrides, the interface methods a JDK proxy reports) to its spec.
     *
     * @param targetClass the bean's user class (the class of the woven object, for the AspectJ aspect)
     * @param beanName the bean's name, for messages
     * @param proxied whether a proxy intercepts the calls, which cannot reach private methods; the AspectJ weaver
     *     can, so there only static methods are refused
     * @return the specs by method (mutable, empty when the class has no annotated method)
     */
    Map<Method, MethodSpec> resolveAll(Class<?> targetClass, String beanName, boolean proxied) {
        Map<Method, MethodSpec> specs = new HashMap<>();
        for (Method declared : ReflectionUtils.getUniqueDeclaredMethods(targetClass, ReflectionUtils.USER_DECLARED_METHODS)) {
            Method method = BridgeMethodResolver.findBridgedMethod(declared);
            boolean isStatic = Modifier.isStatic(method.getModifiers());
            if (isStatic || (proxied && Modifier.isPrivate(method.getModifiers()))) {
                if (hasAnnotations(method)) {
                    throw new ResilienceConfigurationException(
                            "Method " + targetClass.getName() + "." + method.getName() + " of bean '" + beanName
                                    + "' carries a resilience annotation but is " + (isStatic ? "static" : "private")
                                    + (proxied ? ", so no proxy can intercept it and the annotation would have no effect."
                                            : ": only instance methods are protected (a fallback runs on the instance)."),
                            proxied ? "Make the method public (and not static), or remove the annotation."
                                    : "Make the method an instance method, or remove the annotation.");
                }
                continue;
            }
            MethodSpec spec = resolve(method, targetClass, beanName);
            if (spec != null) {
                specs.put(method, spec);
            }
        }
        if (specs.isEmpty()) {
            return specs;
        }
        // A call through a generic interface, a generic base class or an overridden covariant method reaches the
        // proxy as the compiler's bridge method: map every bridge to the spec of the method it bridges to.
        ReflectionUtils.doWithMethods(targetClass, bridge -> {
            MethodSpec spec = specs.get(BridgeMethodResolver.findBridgedMethod(bridge));
            if (spec != null) {
                specs.putIfAbsent(bridge, spec);
            }
        }, Method::isBridge);
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

    private KeyExpression keyExpression(String source, String annotation, String beanName, Method method) {
        String where = annotation + " on " + method.getDeclaringClass().getName() + "." + method.getName()
                + describeParameters(method) + " of bean '" + beanName + "'";
        try {
            return KeyExpression.parse(source, method, where);
        } catch (IllegalArgumentException e) {
            throw failure(beanName, method, annotation + ": " + e.getMessage(),
                    "Fix the key expression: a SpEL expression over the method's arguments, such as \"#tenant\" (parameter "
                            + "names need the -parameters compiler flag), \"#p0\" or \"#request.customerId\".");
        }
    }

    /** An instance name is keyed or not: the same name used both ways would be two unrelated limits. */
    private void checkNotKeyed(String kind, String annotation, String name, String beanName, Method method) {
        if (keyed.isKeyed(kind, name)) {
            throw mixedUse(annotation + "(name = \"" + name + "\") has no key", name, kind, beanName, method);
        }
    }

    private static void checkNotPlain(boolean plainExists, String kind, String where, String beanName, Method method) {
        if (plainExists) {
            String name = where.substring(where.indexOf('"') + 1, where.indexOf('"', where.indexOf('"') + 1));
            throw mixedUse(where + " has a key", name, kind, beanName, method);
        }
    }

    private static ResilienceConfigurationException mixedUse(String problem, String name, String kind, String beanName,
                                                             Method method) {
        return failure(beanName, method, problem + ", but " + kind + " instance '" + name + "' is also used "
                        + (problem.contains("has a key") ? "without a key (by another annotation or by code)" : "with a key by another annotation")
                        + "; one name would stand for two unrelated limits",
                "Give the keyed and the unkeyed use different names (both can share settings through 'base-config').");
    }

    /**
     * @param method a method
     * @return whether any of our annotations sits on the method itself
     */
    boolean hasAnnotations(Method method) {
        for (Class<? extends Annotation> kind : order) {
            if (AnnotatedElementUtils.hasAnnotation(method, kind)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A method-level annotation wins; a class-level one applies to public methods, except Object's methods and
     * their overrides ({@code toString}, {@code equals}, {@code hashCode}, ...): logging a bean or putting it in a
     * set must not pass its breaker.
     */
    private static Annotation find(Method method, Class<?> targetClass, Class<? extends Annotation> kind) {
        Annotation onMethod = AnnotatedElementUtils.findMergedAnnotation(method, kind);
        if (onMethod != null) {
            return onMethod;
        }
        if (!Modifier.isPublic(method.getModifiers()) || isObjectMethod(method)) {
            return null;
        }
        return AnnotatedElementUtils.findMergedAnnotation(targetClass, kind);
    }

    private static boolean isObjectMethod(Method method) {
        try {
            Object.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static ResilienceConfigurationException failure(String beanName, Method method, String problem, String action) {
        return new ResilienceConfigurationException(
                "Method " + method.getDeclaringClass().getName() + "." + method.getName()
                        + describeParameters(method) + " of bean '" + beanName + "': " + problem + ".", action);
    }

    private static String describeParameters(Method method) {
        StringBuilder out = new StringBuilder("(");
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            out.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        return out.append(')').toString();
    }
}

package dev.resilience.test.junit;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadConfig;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.Clock;
import dev.resilience.core.ManualClock;
import dev.resilience.core.Registry;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import dev.resilience.test.RecordedEvents;
import dev.resilience.test.ResilienceReset;
import dev.resilience.test.TestRegistries;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The JUnit Jupiter extension behind {@link ResilienceCoreTest}, for tests of code that uses {@code resilience-core}
 * without Spring.
 *
 * <p>Each test gets its own, new objects, shared by everything of that test that asks: its constructor (with the
 * default per-method test instance lifecycle), its {@code @BeforeEach} and {@code @AfterEach} methods, the test method
 * and the {@link InjectResilience} fields:
 * <ul>
 * <li>a {@link ManualClock} at monotonic time 0 (a parameter of type {@link Clock} gets it too);</li>
 * <li>{@link TestRegistries} on that clock, empty, and each of its registries by its policy type:
 * {@code Registry<CircuitBreaker, CircuitBreakerConfig>}, {@code Registry<Retry, RetryConfig>},
 * {@code Registry<Bulkhead, BulkheadConfig>}, {@code Registry<ThreadPoolBulkhead, ThreadPoolBulkheadConfig>},
 * {@code Registry<RateLimiter, RateLimiterConfig>}, {@code Registry<Timeout, TimeoutConfig>};</li>
 * <li>{@link RecordedEvents} of every instance those registries create.</li>
 * </ul>
 * New objects rather than a reset of shared ones: a core test builds its policies itself, cheaply, so a new clock
 * and new registries give every test exactly the starting state (time 0, no instance, no event, no listener or timer
 * left by an earlier test) where a reset would keep instances, configs and subscriptions from the test before.
 *
 * <p>After each test (after its {@code @AfterEach} methods) every bulkhead of the test's registries must be empty
 * within {@link ResilienceCoreTest#bulkheadGraceMillis()} of real time: a permit still held, a caller still waiting or
 * (thread-pool bulkheads) a call still running or queued fails the test, naming the bulkhead. Then the test's
 * thread-pool bulkheads are shut down. Policies a test builds itself with {@code X.of(name, config, clock)} are its
 * own: only the registries' instances are checked.
 *
 * <p>Under {@code @TestInstance(PER_CLASS)} one instance serves every test, so these objects are not offered to its
 * constructor (or to {@code @BeforeAll} methods): take them as test-method parameters or fields.
 */
public final class ResilienceExtension implements ParameterResolver, BeforeEachCallback, AfterEachCallback {

    /** The default of {@link ResilienceCoreTest#bulkheadGraceMillis()}: 5 s, as for {@code @ResilienceTest}. */
    static final long DEFAULT_BULKHEAD_GRACE_MILLIS = 5_000;

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ResilienceExtension.class);

    private static final Set<Class<?>> OFFERED = Set.of(ManualClock.class, Clock.class, TestRegistries.class,
            RecordedEvents.class, Registry.class);

    private static final String OFFER = "a ManualClock (or Clock), TestRegistries, RecordedEvents, or a Registry of "
            + "CircuitBreaker, Retry, Bulkhead, ThreadPoolBulkhead, RateLimiter or Timeout";

    /** Creates the extension; JUnit does, for {@code @ExtendWith} and {@link ResilienceCoreTest}. */
    public ResilienceExtension() {
    }

    /** Constructor parameters are resolved in the test method's context, so a constructor gets that test's objects. */
    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return OFFERED.contains(parameterContext.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        String target = "parameter '" + parameterContext.getParameter().getName() + "' of "
                + parameterContext.getDeclaringExecutable();
        if (extensionContext.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("Cannot resolve " + target + ": the ManualClock, registries and "
                    + "events are new for each test, and this is resolved outside any one test (a constructor under "
                    + "@TestInstance(PER_CLASS), or a @BeforeAll method). Take them as test-method parameters or "
                    + "@InjectResilience fields.");
        }
        try {
            return kit(extensionContext).resolve(parameterContext.getParameter().getParameterizedType(), target);
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException(e.getMessage());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            List<Field> fields = AnnotationSupport.findAnnotatedFields(instance.getClass(), InjectResilience.class,
                    field -> true, HierarchyTraversalMode.TOP_DOWN);
            for (Field field : fields) {
                String target = "@InjectResilience field '" + field.getName() + "' of "
                        + field.getDeclaringClass().getName();
                if (Modifier.isStatic(field.getModifiers()) || Modifier.isFinal(field.getModifiers())) {
                    throw new ExtensionConfigurationException(target + " must be neither static nor final: its "
                            + "value is new for each test");
                }
                Object value;
                try {
                    value = kit(context).resolve(field.getGenericType(), target);
                } catch (IllegalArgumentException e) {
                    throw new ExtensionConfigurationException(e.getMessage());
                }
                field.setAccessible(true);
                field.set(instance, value);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Kit kit = context.getStore(NAMESPACE).remove(Kit.class, Kit.class);
        if (kit == null) {
            return; // the test asked for nothing: it has no registries to check
        }
        try {
            ResilienceReset.awaitBulkheadsEmpty(kit.registries.all(), bulkheadGrace(context));
        } finally {
            kit.close();
        }
    }

    private static Kit kit(ExtensionContext context) {
        return context.getStore(NAMESPACE).computeIfAbsent(Kit.class, type -> new Kit(), Kit.class);
    }

    private static Duration bulkheadGrace(ExtensionContext context) {
        long millis = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), ResilienceCoreTest.class,
                        context.getEnclosingTestClasses())
                .map(ResilienceCoreTest::bulkheadGraceMillis)
                .orElse(DEFAULT_BULKHEAD_GRACE_MILLIS);
        if (millis < 0) {
            throw new ExtensionConfigurationException("@ResilienceCoreTest(bulkheadGraceMillis) must be >= 0, but was "
                    + millis + " on " + context.getRequiredTestClass().getName());
        }
        return Duration.ofMillis(millis);
    }

    /** A registry the extension offers, by its type arguments. */
    private record Kind(Class<?> policy, Class<?> config, Function<TestRegistries, Registry<?, ?>> registry) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind(CircuitBreaker.class, CircuitBreakerConfig.class, TestRegistries::circuitBreakers),
            new Kind(Retry.class, RetryConfig.class, TestRegistries::retries),
            new Kind(Bulkhead.class, BulkheadConfig.class, TestRegistries::bulkheads),
            new Kind(ThreadPoolBulkhead.class, ThreadPoolBulkheadConfig.class, TestRegistries::threadPoolBulkheads),
            new Kind(RateLimiter.class, RateLimiterConfig.class, TestRegistries::rateLimiters),
            new Kind(Timeout.class, TimeoutConfig.class, TestRegistries::timeouts));

    /** One test's clock, registries and events. */
    private static final class Kit implements AutoCloseable {

        final ManualClock clock = new ManualClock();
        final TestRegistries registries = TestRegistries.on(clock);
        final RecordedEvents events = RecordedEvents.ofRegistries(registries.all());

        Object resolve(Type type, String target) {
            Class<?> raw = type instanceof ParameterizedType parameterized
                    ? (Class<?>) parameterized.getRawType()
                    : type instanceof Class<?> plain ? plain : null;
            if (raw == ManualClock.class || raw == Clock.class) {
                return clock;
            }
            if (raw == TestRegistries.class) {
                return registries;
            }
            if (raw == RecordedEvents.class) {
                return events;
            }
            if (raw == Registry.class && type instanceof ParameterizedType parameterized) {
                Type[] arguments = parameterized.getActualTypeArguments();
                for (Kind kind : KINDS) {
                    if (arguments[0] == kind.policy() && arguments[1] == kind.config()) {
                        return kind.registry().apply(registries);
                    }
                }
            }
            throw new IllegalArgumentException("Cannot resolve " + target + " of type " + type.getTypeName()
                    + ": the Resilience extension offers " + OFFER + " (e.g. Registry<CircuitBreaker, "
                    + "CircuitBreakerConfig>)");
        }

        /** The pools' threads end with the test; a call still running there (already reported) is interrupted. */
        @Override
        public void close() {
            events.close();
            registries.threadPoolBulkheads().all().forEach(ThreadPoolBulkhead::shutdownNow);
        }
    }
}

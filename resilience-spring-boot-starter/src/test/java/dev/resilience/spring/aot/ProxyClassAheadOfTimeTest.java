package dev.resilience.spring.aot;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.aot.AotDetector;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.cglib.core.ReflectUtils;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.SpringProperties;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;
import org.springframework.test.util.AopTestUtils;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An application processed ahead of time gets the proxy classes of its annotated beans generated at build time (a
 * native image cannot define classes at run time), and the context started from the generated code protects the beans
 * with proxies of those classes, loaded rather than generated.
 *
 * <p>Each test runs in a class loader of its own (the generated code reaches package-private types of the starter), and
 * uses a bean class of its own: CGLIB caches a class it generated per class loader, and a cached class is not handed to
 * the build-time output again.
 */
@CompileWithForkedClassLoader
class ProxyClassAheadOfTimeTest {

    /** An annotated bean: its proxy class must be generated ahead of time. */
    public static class Inventory {

        final AtomicInteger calls = new AtomicInteger();

        @CircuitBreaker(name = "inventory")
        public String stock(String sku) {
            calls.incrementAndGet();
            throw new IllegalStateException("inventory down");
        }
    }

    /** Another annotated bean, for the build-time test. */
    @CircuitBreaker(name = "pricing")
    public static class Pricing {

        public String price(String sku) {
            return sku;
        }
    }

    /** A bean without our annotations: no proxy, so no proxy class. */
    public static class Plain {

        public String name() {
            return "plain";
        }
    }

    private static final String[] PROPERTIES = {
            "resilience.circuitbreaker.instances.inventory.sliding-window-size=2",
            "resilience.circuitbreaker.instances.inventory.minimum-number-of-calls=2"};

    private static final String PROXY_CLASS = Inventory.class.getName() + "$$SpringCGLIB$$0";

    private static final String PRICING_PROXY_CLASS = Pricing.class.getName() + "$$SpringCGLIB$$0";

    @Test
    void theProxyClassOfAnAnnotatedBeanIsGeneratedAtBuildTimeWithItsReflectionHints() {
        TestGenerationContext generated = new TestGenerationContext();

        new ApplicationContextAotGenerator().processAheadOfTime(applicationContext(Pricing.class), generated);
        generated.writeGeneratedContent();

        assertThat(generated.getGeneratedFiles().getGeneratedFiles(Kind.CLASS)).as("the generated class files")
                .containsKey(path(PRICING_PROXY_CLASS));
        assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(PRICING_PROXY_CLASS))
                .withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(generated.getRuntimeHints());
        assertThat(generated.getGeneratedFiles().getGeneratedFiles(Kind.CLASS)).as("no proxy class for a bean without annotations")
                .doesNotContainKey(path(Plain.class.getName() + "$$SpringCGLIB$$0"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theContextStartedFromTheGeneratedCodeProtectsTheBeanWithTheProxyClassGeneratedAtBuildTime() {
        TestGenerationContext generated = new TestGenerationContext();
        ClassName initializerName = new ApplicationContextAotGenerator().processAheadOfTime(
                applicationContext(Inventory.class), generated);
        generated.writeGeneratedContent();

        TestCompiler.forSystem().with(generated).compile(compiled -> {
            List<String> definedAtRunTime = new CopyOnWriteArrayList<>();
            List<String> loaded = new CopyOnWriteArrayList<>();
            SpringProperties.setFlag(AotDetector.AOT_ENABLED);
            ReflectUtils.setGeneratedClassHandler((name, bytes) -> definedAtRunTime.add(name));
            ReflectUtils.setLoadedClassHandler(type -> loaded.add(type.getName()));
            try (GenericApplicationContext context = new GenericApplicationContext()) {
                TestPropertyValues.of(PROPERTIES).applyTo(context);
                compiled.getInstance(ApplicationContextInitializer.class, initializerName.toString()).initialize(context);
                context.refresh();

                Inventory inventory = context.getBean(Inventory.class);

                assertThat(AopUtils.isCglibProxy(inventory)).isTrue();
                assertThat(inventory.getClass().getName()).isEqualTo(PROXY_CLASS);
                assertThat(loaded).as("proxy classes CGLIB loaded instead of generating them").contains(PROXY_CLASS);
                assertThat(definedAtRunTime).as("proxy classes CGLIB had to generate at run time").isEmpty();
                assertThatThrownBy(() -> inventory.stock("a")).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> inventory.stock("a")).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> inventory.stock("a")).isInstanceOf(CallNotPermittedException.class);
                assertThat(AopUtils.getTargetClass(inventory)).isEqualTo(Inventory.class);
                assertThat(((Inventory) AopTestUtils.getTargetObject(inventory)).calls)
                        .as("the open breaker kept the third call from the method").hasValue(2);
            } finally {
                ReflectUtils.setGeneratedClassHandler(null);
                ReflectUtils.setLoadedClassHandler(null);
                SpringProperties.setProperty(AotDetector.AOT_ENABLED, null);
            }
        });
    }

    private static GenericApplicationContext applicationContext(Class<?> annotatedBean) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        TestPropertyValues.of(PROPERTIES).applyTo(context);
        context.register(ResilienceAutoConfiguration.class, annotatedBean, Plain.class);
        return context;
    }

    private static String path(String className) {
        return className.replace('.', '/') + ".class";
    }
}

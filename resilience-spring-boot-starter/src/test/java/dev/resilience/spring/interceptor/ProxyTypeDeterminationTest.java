package dev.resilience.spring.interceptor;

import dev.resilience.annotation.Retry;
import org.junit.jupiter.api.Test;
import org.springframework.aop.SpringProxy;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.util.ClassUtils;

import java.lang.reflect.Proxy;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What the post-processor tells Spring AOT about the type of a bean ({@code determineBeanType}), so that the proxy
 * class it will make at run time is generated at build time: decided from the annotations alone, without registries.
 */
class ProxyTypeDeterminationTest {

    public interface Quotes {
        String quote(String sku);
    }

    public static class AnnotatedQuotes implements Quotes {

        @Retry(name = "quotes")
        @Override
        public String quote(String sku) {
            return sku;
        }
    }

    public static class PlainQuotes implements Quotes {

        @Override
        public String quote(String sku) {
            return sku;
        }
    }

    /** Fails the test if the type is asked of the registries: at build time there are none. */
    private static <T> Supplier<T> never() {
        return () -> fail("determining a bean type must not need the registries");
    }

    private final ResilienceAnnotationBeanPostProcessor processor = new ResilienceAnnotationBeanPostProcessor(never(), never());

    @Test
    void anAnnotatedClassGetsTheClassOfItsProxy() {
        Class<?> type = processor.determineBeanType(AnnotatedQuotes.class, "quotes");

        assertThat(type).isNotEqualTo(AnnotatedQuotes.class).isAssignableTo(SpringProxy.class);
        assertThat(ClassUtils.getUserClass(type)).isEqualTo(AnnotatedQuotes.class);
    }

    @Test
    void withInterfaceProxiesAnAnnotatedClassGetsAJdkProxyClassOfItsInterfaces() {
        processor.setProxyTargetClass(false);

        Class<?> type = processor.determineBeanType(AnnotatedQuotes.class, "quotes");

        assertThat(Proxy.isProxyClass(type)).isTrue();
        assertThat(type).isAssignableTo(Quotes.class);
    }

    @Test
    void aClassWithoutOurAnnotationsKeepsItsType() {
        assertThat(processor.determineBeanType(PlainQuotes.class, "plain")).isEqualTo(PlainQuotes.class);
    }

    @Test
    void aBeanAnotherPostProcessorProxiesKeepsThatProxysClassForOurAdvisorIsAddedToIt() {
        ProxyFactory factory = new ProxyFactory(new AnnotatedQuotes());
        factory.setProxyTargetClass(true);
        Class<?> existingProxy = factory.getProxyClass(getClass().getClassLoader());

        assertThat(processor.determineBeanType(existingProxy, "quotes")).isEqualTo(existingProxy);
    }
}

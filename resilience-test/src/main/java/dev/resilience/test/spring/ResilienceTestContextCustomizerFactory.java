package dev.resilience.test.spring;

import dev.resilience.core.ManualClock;
import dev.resilience.test.RecordedEvents;
import dev.resilience.spring.ResilienceRegistries;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.util.ClassUtils;

import java.util.List;

/**
 * Adds the {@link ManualClock} and the {@link RecordedEvents} bean to the context of a {@link ResilienceTest} class.
 * Registered in {@code META-INF/spring.factories}; returns nothing for other test classes, or when the starter is
 * not on the class path.
 */
public final class ResilienceTestContextCustomizerFactory implements ContextCustomizerFactory {

    /** The name of the {@link ManualClock} bean; the starter's own clock backs off when a clock bean exists. */
    public static final String CLOCK_BEAN = "resilienceTestClock";

    /** The name of the {@link RecordedEvents} bean. */
    public static final String EVENTS_BEAN = "resilienceTestEvents";

    private static final boolean STARTER_PRESENT = ClassUtils.isPresent("dev.resilience.spring.ResilienceRegistries",
            ResilienceTestContextCustomizerFactory.class.getClassLoader());

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        ResilienceTest annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass, ResilienceTest.class);
        if (annotation == null || !STARTER_PRESENT) {
            return null;
        }
        return new Customizer(annotation.manualClock());
    }

    /** Equal for equal settings, so that test classes sharing a configuration share one cached context. */
    private record Customizer(boolean manualClock) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
            if (manualClock) {
                context.getBeanFactory().registerSingleton(CLOCK_BEAN, new ManualClock());
            }
            if (context.getBeanFactory() instanceof BeanDefinitionRegistry registry) {
                RootBeanDefinition events = new RootBeanDefinition(RecordedEvents.class);
                events.setInstanceSupplier(() -> RecordedEvents.ofRegistries(
                        context.getBean(ResilienceRegistries.class).all()));
                events.setDestroyMethodName("close");
                // Made when the first test asks for it (the listener does, once the registries exist).
                events.setLazyInit(true);
                registry.registerBeanDefinition(EVENTS_BEAN, events);
            }
        }
    }
}

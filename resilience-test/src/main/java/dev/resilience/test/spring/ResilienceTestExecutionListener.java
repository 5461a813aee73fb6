package dev.resilience.test.spring;

import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.actuate.ResilienceEventsBuffer;
import dev.resilience.test.RecordedEvents;
import dev.resilience.test.ResilienceReset;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.support.AbstractTestExecutionListener;
import org.springframework.util.ClassUtils;

import java.time.Duration;

/**
 * Before each test method of a {@link ResilienceTest} class: resets every instance of the context's registries, then
 * clears the recorded events and the actuator's events buffer (so that the reset's own events do not show). After
 * each: waits for the bulkheads to be empty. Registered in {@code META-INF/spring.factories}; does nothing for other
 * test classes.
 */
public final class ResilienceTestExecutionListener extends AbstractTestExecutionListener {

    private static final boolean STARTER_PRESENT = ClassUtils.isPresent("dev.resilience.spring.ResilienceRegistries",
            ResilienceTestExecutionListener.class.getClassLoader());

    /** After Spring's dependency injection (2000) and before transactional tests (4000). */
    @Override
    public int getOrder() {
        return 3_000;
    }

    @Override
    public void beforeTestMethod(TestContext testContext) {
        if (!applies(testContext)) {
            return;
        }
        ApplicationContext context = testContext.getApplicationContext();
        context.getBeanProvider(ResilienceRegistries.class).ifAvailable(registries -> {
            ResilienceReset.resetAll(registries.all());
            context.getBeanProvider(RecordedEvents.class).ifAvailable(RecordedEvents::clear);
            context.getBeanProvider(ResilienceEventsBuffer.class).ifAvailable(ResilienceEventsBuffer::clear);
        });
    }

    @Override
    public void afterTestMethod(TestContext testContext) {
        if (!applies(testContext)) {
            return;
        }
        ResilienceTest settings = TestContextAnnotationUtils.findMergedAnnotation(testContext.getTestClass(),
                ResilienceTest.class);
        Duration grace = Duration.ofMillis(settings.bulkheadGraceMillis());
        testContext.getApplicationContext().getBeanProvider(ResilienceRegistries.class)
                .ifAvailable(registries -> ResilienceReset.awaitBulkheadsEmpty(registries.all(), grace));
    }

    private static boolean applies(TestContext testContext) {
        return STARTER_PRESENT && testContext.hasApplicationContext()
                && TestContextAnnotationUtils.hasAnnotation(testContext.getTestClass(), ResilienceTest.class);
    }
}

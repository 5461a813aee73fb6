package dev.resilience.test.spring;

import dev.resilience.spring.ResilienceRegistries;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestContextManager;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.resilience.test.ResilienceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The kit's after-test check, driven through Spring's {@link TestContextManager} as JUnit would drive it: a test that
 * leaves a call holding a bulkhead permit fails, naming the bulkhead.
 */
class BulkheadLeakTest {

    @SpringBootTest(classes = KitTestApplication.class)
    @ResilienceTest(bulkheadGraceMillis = 100)
    static class LeakingTest {

        @Autowired
        KitTestApplication.Downstream downstream;

        @Autowired
        ResilienceRegistries registries;

        void leaveACallRunning(CountDownLatch release) {
            CompletableFuture.runAsync(() -> {
                try {
                    downstream.holdUntil(release);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await().atMost(Duration.ofSeconds(10)).untilAsserted(
                    () -> assertThat(registries.bulkheads().get("stock")).hasAvailableConcurrentCalls(24));
        }
    }

    @Test
    void aCallStillHoldingAPermitAfterTheTestFailsItNamingTheBulkhead() throws Exception {
        TestContextManager manager = new TestContextManager(LeakingTest.class);
        LeakingTest test = new LeakingTest();
        manager.prepareTestInstance(test);
        CountDownLatch release = new CountDownLatch(1);
        Method method = LeakingTest.class.getDeclaredMethod("leaveACallRunning", CountDownLatch.class);
        manager.beforeTestMethod(test, method);
        test.leaveACallRunning(release);

        try {
            assertThatThrownBy(() -> manager.afterTestMethod(test, method, null))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("bulkhead 'stock' (1 permits held, 0 waiting)");
        } finally {
            release.countDown();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(test.registries.bulkheads().get("stock")).isEmpty());
        manager.afterTestMethod(test, method, null);
        manager.afterTestClass();
    }
}

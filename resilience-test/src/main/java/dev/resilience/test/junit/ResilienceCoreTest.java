package dev.resilience.test.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a JUnit test class that uses {@code resilience-core} without Spring; it registers the
 * {@link ResilienceExtension}, which gives each test a new {@link dev.resilience.core.ManualClock}, new registries on
 * that clock and the events they publish, and after each test fails it if a bulkhead of those registries still holds
 * a permit. {@code @ExtendWith(ResilienceExtension.class)} does the same with the default grace.
 *
 * <pre>{@code
 * @ResilienceCoreTest
 * class InventoryClientTest {
 *
 *     @Test
 *     void theBreakerLetsATrialCallThroughOnceTheOpenStateWaitHasPassed(
 *             ManualClock clock, Registry<CircuitBreaker, CircuitBreakerConfig> breakers) {
 *         CircuitBreaker breaker = breakers.get("inventory", config);
 *         // ... fail enough calls ...
 *         clock.advance(Duration.ofSeconds(30));
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ResilienceExtension.class)
public @interface ResilienceCoreTest {

    /**
     * @return how long, in real milliseconds, calls a test started may take to give their bulkhead permits back after
     *     it ends before the test fails; at least 0
     */
    long bulkheadGraceMillis() default ResilienceExtension.DEFAULT_BULKHEAD_GRACE_MILLIS;
}

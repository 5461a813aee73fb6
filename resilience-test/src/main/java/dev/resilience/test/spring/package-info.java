/**
 * Spring TestContext support: {@link dev.resilience.test.spring.ResilienceTest} on a test class puts a
 * {@link dev.resilience.core.ManualClock} into the application context and resets every instance before each test.
 * Registered in {@code META-INF/spring.factories}; inert for test classes without the annotation.
 */
package dev.resilience.test.spring;

/**
 * Test support for code that uses Resilience, with or without Spring: {@link dev.resilience.test.ResilienceAssertions}
 * (AssertJ assertions for breakers, retries, rate limiters, bulkheads and recorded events),
 * {@link dev.resilience.test.RecordedEvents} (every event of chosen instances or registries),
 * {@link dev.resilience.test.ResilienceReset} (instances back to their starting state between tests)
 * and {@link dev.resilience.test.TestRegistries} (one registry per policy kind on one clock). Spring tests use
 * {@link dev.resilience.test.spring.ResilienceTest}; JUnit tests without Spring use
 * {@link dev.resilience.test.junit.ResilienceCoreTest}.
 */
package dev.resilience.test;

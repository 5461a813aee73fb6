/**
 * JUnit Jupiter support for tests of code that uses {@code resilience-core} alone: {@link
 * dev.resilience.test.junit.ResilienceCoreTest} (or {@code @ExtendWith(ResilienceExtension.class)}) gives each test a
 * {@link dev.resilience.core.ManualClock}, registries on it and their recorded events, and fails a test that leaves a
 * bulkhead permit held. Nothing here needs Spring: the package runs on a class path of {@code resilience-core},
 * {@code resilience-test}, JUnit Jupiter and AssertJ.
 */
package dev.resilience.test.junit;

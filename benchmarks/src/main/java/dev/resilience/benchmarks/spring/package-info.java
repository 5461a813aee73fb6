/**
 * Spring application contexts and annotated beans for the benchmarks of annotated methods: one context with our
 * starter's auto-configuration, one with Resilience4j's own Spring aspects, and the beans they advise.
 */
package dev.resilience.benchmarks.spring;

/**
 * Spring application contexts and annotated beans for the benchmarks of annotated methods: contexts with our
 * starter's auto-configuration (one with its reactive support), contexts with Resilience4j's own Spring aspects (one
 * with the circuit breaker aspect's Reactor extension), and the beans they advise.
 */
package dev.resilience.benchmarks.spring;

/**
 * JMH benchmarks comparing Resilience with Resilience4j and Failsafe under equal configurations.
 *
 * <p>Every benchmark class measures one thing and holds one {@code @State(Scope.Benchmark)} instance, so running with
 * {@code -t 2} makes two threads share the same policy object, as they would in an application. Suppliers are built
 * once in {@code @Setup} so that no benchmark allocates a capturing lambda per call on behalf of the library.
 */
package dev.resilience.benchmarks;

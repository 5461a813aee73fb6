/**
 * Spring Cloud CircuitBreaker over the starter's registries: {@link dev.resilience.spring.cloud.ResilienceCircuitBreakerFactory}
 * and {@link dev.resilience.spring.cloud.ResilienceReactiveCircuitBreakerFactory}, so that Spring Cloud's doors
 * (HTTP service groups, OpenFeign clients, Spring Cloud Gateway, code calling {@code CircuitBreakerFactory}) run on the
 * same circuit breakers, timeouts and bulkheads, and the same {@code resilience.*} properties, as the annotations.
 * Used only when the application has Spring Cloud Commons ({@link dev.resilience.spring.cloud.ResilienceSpringCloudAutoConfiguration}).
 */
package dev.resilience.spring.cloud;

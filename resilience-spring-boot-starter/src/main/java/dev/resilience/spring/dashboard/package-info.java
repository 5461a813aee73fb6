/**
 * The live page ({@code resilience.dashboard.enabled=true}): one static HTML page with its script and style, shipped in
 * {@code META-INF/resilience/dashboard/}, that shows a tile per policy instance and the recent events, and, where the
 * {@code circuitbreakers} endpoint's write operation is enabled, buttons that force a breaker open or closed and reset
 * it. The page reads one small JSON document served beside it ({@link DashboardSnapshot}) and the
 * {@code resilienceevents} actuator endpoint; its buttons post to the {@code circuitbreakers} endpoint. Nothing here
 * exists unless the property is set in a web application with actuator.
 */
package dev.resilience.spring.dashboard;

/**
 * API. The machinery the policies share and a user may plug into or read: the injectable
 * {@link dev.resilience.core.Clock} (and {@link dev.resilience.core.ManualClock} for tests), events and their
 * listeners, the {@link dev.resilience.core.Registry} of instances by name, the invoker chain a composition links
 * once, and {@link dev.resilience.core.InvalidConfigException}. Depends on no other package of the engine but its
 * own {@code internal} helpers, so that the root package and every pattern can build on it without a cycle.
 */
package dev.resilience.core;

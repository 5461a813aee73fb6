/**
 * API. The composition entry point {@link dev.resilience.Resilience}, the {@link dev.resilience.Policy} every
 * pattern implements, the rejections' base class {@link dev.resilience.ResilienceException} and
 * {@link dev.resilience.GracefulShutdown} with the {@link dev.resilience.WaitingPolicy} and
 * {@link dev.resilience.PooledPolicy} it stops. Builds on {@code dev.resilience.core}, which never depends back on it; the pattern packages build on this one, which reaches
 * them only through its own interfaces (so no package cycle forms).
 *
 * <p>Packages named {@code internal} (here and in each pattern's package) are not API: they may change in any
 * release. Everything else in {@code dev.resilience} and its sub-packages is what we promise to keep.
 */
package dev.resilience;

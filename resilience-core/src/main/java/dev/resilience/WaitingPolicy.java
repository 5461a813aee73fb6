package dev.resilience;

/**
 * A policy that waits before it starts further work of its own, as a retry waits out its backoffs: the first step of
 * a {@link GracefulShutdown} cuts those waits short, so that no new attempt starts while the application stops.
 * {@link GracefulShutdown} reaches such policies through this interface, so the root package does not depend on the
 * policy packages that build on it.
 *
 * <p>Implemented by {@link dev.resilience.retry.Retry}; an application seldom calls it directly. Thread-safe.
 */
public interface WaitingPolicy extends Policy {

    /**
     * Cuts short every wait that would start further work, and starts none from now on. Idempotent, irreversible.
     */
    void stopWaiting();
}

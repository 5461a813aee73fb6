package dev.resilience.core;

/**
 * A task scheduled with {@link Clock#schedule(Runnable, long)}.
 */
@FunctionalInterface
public interface Scheduled {

    /**
     * Cancels the task if it has not run yet.
     *
     * @return {@code true} if this call prevented the task from running
     */
    boolean cancel();
}

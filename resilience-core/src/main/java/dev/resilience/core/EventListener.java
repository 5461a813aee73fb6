package dev.resilience.core;

/**
 * Receives events from a policy instance. Called on the thread that caused the event, so it must be
 * quick and must not block; an exception it throws is logged and does not affect the call.
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface EventListener<E> {

    /**
     * @param event what happened
     */
    void onEvent(E event);
}

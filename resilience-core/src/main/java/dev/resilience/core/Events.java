package dev.resilience.core;

/**
 * Where listeners subscribe to a policy instance's events. Any number of listeners may subscribe;
 * each gets every event published after it subscribed.
 *
 * @param <E> the event type
 */
public interface Events<E extends ResilienceEvent> {

    /**
     * @param listener receives each event
     * @return closes the subscription
     */
    Subscription subscribe(EventListener<? super E> listener);
}

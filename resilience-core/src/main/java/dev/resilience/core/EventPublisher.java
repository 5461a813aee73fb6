package dev.resilience.core;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Delivers events to any number of listeners. Publishing reads one volatile array; policies check
 * {@link #hasListeners()} first so that no event object is created when nobody listens.
 *
 * @param <E> the event type
 */
public final class EventPublisher<E extends ResilienceEvent> implements Events<E> {

    private static final System.Logger LOG = System.getLogger(EventPublisher.class.getName());
    private static final EventListener<?>[] NONE = new EventListener<?>[0];

    private final ReentrantLock lock = new ReentrantLock();
    private volatile EventListener<?>[] listeners = NONE;

    /** @return whether anyone listens; when not, callers skip creating the event */
    public boolean hasListeners() {
        return listeners.length != 0;
    }

    @Override
    public Subscription subscribe(EventListener<? super E> listener) {
        if (listener == null) {
            throw new NullPointerException("listener");
        }
        lock.lock();
        try {
            EventListener<?>[] current = listeners;
            EventListener<?>[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = listener;
            listeners = next;
        } finally {
            lock.unlock();
        }
        return () -> remove(listener);
    }

    private void remove(EventListener<?> listener) {
        lock.lock();
        try {
            EventListener<?>[] current = listeners;
            for (int i = 0; i < current.length; i++) {
                if (current[i] == listener) {
                    EventListener<?>[] next = new EventListener<?>[current.length - 1];
                    System.arraycopy(current, 0, next, 0, i);
                    System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                    listeners = next.length == 0 ? NONE : next;
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Delivers the event to every listener; a listener's exception is logged and the others still run.
     *
     * @param event the event
     */
    @SuppressWarnings("unchecked")
    public void publish(E event) {
        for (EventListener<?> listener : listeners) {
            try {
                ((EventListener<E>) listener).onEvent(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Event listener failed on " + event.kind() + " '" + event.name() + "' " + event.type(), e);
            }
        }
    }
}

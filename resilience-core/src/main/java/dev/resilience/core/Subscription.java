package dev.resilience.core;

/** A registered listener; closing it removes the listener. Idempotent. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    /** Removes the listener. */
    @Override
    void close();
}

package dev.resilience.hop;

import dev.resilience.spi.ContextCarrier;

/** A carrier of one thread-local, as an application's MDC or security context would be carried. */
final class ThreadLocalCarrier implements ContextCarrier {

    static final ThreadLocal<String> USER = new ThreadLocal<>();

    @Override
    public Snapshot capture() {
        String captured = USER.get();
        return () -> {
            String previous = USER.get();
            USER.set(captured);
            return () -> USER.set(previous);
        };
    }

    /** Runs work with {@link #USER} set, putting back what was there. */
    static <T> T as(String user, java.util.function.Supplier<T> work) {
        String previous = USER.get();
        USER.set(user);
        try {
            return work.get();
        } finally {
            USER.set(previous);
        }
    }
}

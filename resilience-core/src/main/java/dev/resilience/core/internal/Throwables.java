package dev.resilience.core.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Small helpers for passing exceptions through unchanged. */
public final class Throwables {

    private Throwables() {
    }

    /**
     * Throws any throwable without declaring it. Used where the compiler cannot see that only the call's
     * own declared exceptions (or unchecked ones) can arrive here.
     *
     * @param t what to throw
     * @param <X> inferred as an unchecked type
     * @return never returns; declared so callers can write {@code throw sneakyThrow(t)}
     * @throws X always
     */
    @SuppressWarnings("unchecked")
    public static <X extends Throwable> RuntimeException sneakyThrow(Throwable t) throws X {
        throw (X) t;
    }

    /**
     * @param t a failure from a {@code CompletionStage}
     * @return the real cause, without {@link CompletionException}/{@link ExecutionException} wrappers
     */
    public static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}

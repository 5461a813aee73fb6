package dev.resilience.core;

/**
 * The work a policy protects: like {@link java.util.concurrent.Callable}, but the exception type is a
 * type parameter, so a lambda that throws no checked exception needs no {@code try}, and one that throws
 * {@code IOException} passes it through unchanged.
 *
 * @param <T> the result type
 * @param <X> what the work may throw
 */
@FunctionalInterface
public interface ThrowingSupplier<T, X extends Throwable> {

    /**
     * @return the result
     * @throws X on failure
     */
    T get() throws X;
}

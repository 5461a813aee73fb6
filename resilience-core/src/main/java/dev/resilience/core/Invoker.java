package dev.resilience.core;

/**
 * One link of a composed synchronous call. Policies wrap the next link once, when the composition is
 * built; each call then walks the chain without allocating.
 */
@FunctionalInterface
public interface Invoker {

    /** The innermost link: runs the call itself. */
    Invoker DIRECT = ThrowingSupplier::get;

    /**
     * @param call the user's work
     * @return the work's result
     * @throws Throwable what the work or a policy throws
     */
    Object invoke(ThrowingSupplier<?, ?> call) throws Throwable;
}

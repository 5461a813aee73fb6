package dev.resilience.core;

/**
 * One link of a composed synchronous call. Policies wrap the next link once, when the composition is
 * built; each call then walks the chain without allocating.
 *
 * <p>The call travels as an opaque object together with the {@link Runner} that knows how to run it, so
 * that an integration can pass its own call object (a Spring {@code MethodInvocation}, say) without
 * wrapping it per call: policies only hand both on, possibly several times (retry) or to another thread
 * (timeout, thread-pool bulkhead).
 */
@FunctionalInterface
public interface Invoker {

    /** Runs a call object. */
    @FunctionalInterface
    interface Runner {
        /**
         * @param call the call object given to {@link Invoker#invoke}
         * @return its result
         * @throws Throwable what it throws
         */
        Object run(Object call) throws Throwable;
    }

    /** Runs a call that is a {@link ThrowingSupplier}. */
    Runner SUPPLIER = call -> ((ThrowingSupplier<?, ?>) call).get();

    /** The innermost link: runs the call itself. */
    Invoker DIRECT = (call, runner) -> runner.run(call);

    /**
     * @param call the user's work, opaque to policies
     * @param runner runs {@code call}
     * @return the work's result
     * @throws Throwable what the work or a policy throws
     */
    Object invoke(Object call, Runner runner) throws Throwable;
}

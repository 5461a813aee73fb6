package dev.resilience.keyed;

/**
 * Tells the key of a call as it travels through an invoker chain ({@link KeyedPolicy#decorate}): an integration
 * passes its own call object (a Spring {@code MethodInvocation}, say) and reads the key from it, so that nothing is
 * wrapped per call.
 */
@FunctionalInterface
public interface KeyFunction {

    /**
     * @param call the call object handed to the chain
     * @return the call's key; {@code null} fails the call with {@link NullKeyException} (a function may throw one
     *     itself, with a message that says where the key came from)
     */
    Object key(Object call);
}

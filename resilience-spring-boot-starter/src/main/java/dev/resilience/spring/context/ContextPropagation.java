package dev.resilience.spring.context;

import dev.resilience.spi.ContextCarrier;
import org.springframework.util.ClassUtils;

/**
 * The {@link ContextCarrier} the registries give every policy, so that a call continued on another thread (a pool
 * thread, a bulkhead waiter granted by another caller's release, a rate-limited call started by the timer, a retry
 * attempt after a backoff, a timed-out call's completion and fallback) runs with its caller's thread-locals. It is
 * Micrometer's context-propagation when {@code io.micrometer:context-propagation} is on the classpath, else
 * {@link ContextCarrier#none()}, so the library stays optional. The caller's deadline travels either way.
 *
 * <p>Thread-safe and stateless.
 */
public final class ContextPropagation {

    private static final boolean AVAILABLE = ClassUtils.isPresent("io.micrometer.context.ContextSnapshotFactory",
            ContextPropagation.class.getClassLoader());

    private ContextPropagation() {
    }

    /** @return whether context-propagation is on the classpath, so that {@link #carrier()} carries something */
    public static boolean isAvailable() {
        return AVAILABLE;
    }

    /**
     * @return the carrier of every thread-local registered in context-propagation's {@code ContextRegistry};
     *     {@link ContextCarrier#none()} without the library
     */
    public static ContextCarrier carrier() {
        return AVAILABLE ? MicrometerContextCarrier.INSTANCE : ContextCarrier.none();
    }
}

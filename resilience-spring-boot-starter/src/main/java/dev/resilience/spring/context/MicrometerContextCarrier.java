package dev.resilience.spring.context;

import dev.resilience.spi.ContextCarrier;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;

/**
 * The {@link ContextCarrier} over Micrometer's context-propagation: captures every thread-local registered in the
 * global {@code ContextRegistry} and restores them where the call continues. The only class touching the library:
 * loaded only when it is present.
 */
final class MicrometerContextCarrier implements ContextCarrier {

    static final MicrometerContextCarrier INSTANCE = new MicrometerContextCarrier();

    private final ContextSnapshotFactory factory = ContextSnapshotFactory.builder().build();

    private MicrometerContextCarrier() {
    }

    @Override
    public Snapshot capture() {
        ContextSnapshot snapshot = factory.captureAll();
        return () -> {
            ContextSnapshot.Scope scope = snapshot.setThreadLocals();
            return scope::close;
        };
    }

    @Override
    public String toString() {
        return "Micrometer context-propagation";
    }
}

package dev.resilience.spring.context;

import io.micrometer.context.ContextSnapshotFactory;

/** The only class touching context-propagation: loaded only when the library is present. */
final class ContextSnapshots {

    private static final ContextSnapshotFactory FACTORY = ContextSnapshotFactory.builder().build();

    private ContextSnapshots() {
    }

    /**
     * Captures the current thread's context now; the returned task restores it while it runs and puts back the
     * running thread's own values afterwards.
     */
    static Runnable wrap(Runnable task) {
        return FACTORY.captureAll().wrap(task);
    }
}

package dev.resilience.spi;

/** {@link ContextCarrier#none()}: one shared instance, which the policies recognise so as to skip capturing. */
final class NoContext {

    static final ContextCarrier.Scope SCOPE = () -> { };
    static final ContextCarrier.Snapshot SNAPSHOT = () -> SCOPE;
    static final ContextCarrier CARRIER = () -> SNAPSHOT;

    private NoContext() {
    }
}

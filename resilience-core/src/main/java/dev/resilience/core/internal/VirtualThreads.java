package dev.resilience.core.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads (Java 21+) for an engine that compiles for Java 17: the few {@code Thread} methods needed, looked up
 * once, reflectively. On Java 17 to 20 {@link #available()} is false and nothing here creates a thread. Not an API.
 */
public final class VirtualThreads {

    private static final MethodHandle OF_VIRTUAL;
    private static final MethodHandle NAME;
    private static final MethodHandle FACTORY;
    private static final MethodHandle IS_VIRTUAL;

    static {
        MethodHandle ofVirtual = null;
        MethodHandle name = null;
        MethodHandle factory = null;
        MethodHandle isVirtual = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtualBuilder = Class.forName("java.lang.Thread$Builder$OfVirtual");
            ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtualBuilder));
            name = lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class, long.class));
            factory = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
            isVirtual = lookup.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException beforeJava21) {
            ofVirtual = null;
        }
        OF_VIRTUAL = ofVirtual;
        NAME = name;
        FACTORY = factory;
        IS_VIRTUAL = isVirtual;
    }

    private VirtualThreads() {
    }

    /** @return whether this JVM has virtual threads (Java 21 or newer) */
    public static boolean available() {
        return OF_VIRTUAL != null;
    }

    /**
     * @param prefix the thread name prefix
     * @return a thread-safe factory of virtual threads named {@code <prefix>-<n>} (n from 1)
     * @throws UnsupportedOperationException before Java 21
     */
    public static ThreadFactory factory(String prefix) {
        if (!available()) {
            throw new UnsupportedOperationException("Virtual threads need Java 21 or newer; this is Java "
                    + Runtime.version().feature());
        }
        try {
            Object builder = OF_VIRTUAL.invoke();
            builder = NAME.invoke(builder, prefix + "-", 1L);
            return (ThreadFactory) FACTORY.invoke(builder);
        } catch (Throwable unexpected) {
            throw new IllegalStateException("Could not create a virtual thread factory", unexpected);
        }
    }

    /**
     * @param thread a thread
     * @return whether it is a virtual thread (always false before Java 21)
     */
    public static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invoke(thread);
        } catch (Throwable unexpected) {
            throw new IllegalStateException("Thread.isVirtual() failed", unexpected);
        }
    }
}

package dev.resilience.spring.actuate;

import dev.resilience.core.ResilienceEvent;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The most recent events of one policy instance: a fixed array written round-robin, lock-free. It can never
 * hold more than its capacity. Two writers racing for the same slot (a full lap apart) may let the older event
 * win; a lost event is acceptable for a diagnostic buffer, blocking the caller's thread is not.
 */
final class EventRing {

    /**
     * One buffered event.
     *
     * @param sequence global order across every ring, assigned when recorded
     * @param event the event
     */
    record Entry(long sequence, ResilienceEvent event) {
    }

    private final AtomicReferenceArray<Entry> slots;
    private final AtomicLong writes = new AtomicLong();

    EventRing(int capacity) {
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    void add(Entry entry) {
        long index = writes.getAndIncrement();
        slots.set((int) (index % slots.length()), entry);
    }

    /** Empties the ring; an event recorded at the same moment may survive (see the class comment). */
    void clear() {
        for (int i = 0; i < slots.length(); i++) {
            slots.set(i, null);
        }
    }

    /** Adds this ring's entries, unordered, to {@code into}. */
    void copyTo(List<Entry> into) {
        for (int i = 0; i < slots.length(); i++) {
            Entry entry = slots.get(i);
            if (entry != null) {
                into.add(entry);
            }
        }
    }
}

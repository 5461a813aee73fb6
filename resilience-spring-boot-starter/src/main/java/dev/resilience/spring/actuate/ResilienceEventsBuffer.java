package dev.resilience.spring.actuate;

import dev.resilience.Policy;
import dev.resilience.core.EventListener;
import dev.resilience.core.Registry;
import dev.resilience.keyed.KeyedPolicy;
import dev.resilience.spring.keyed.KeyedInstances;
import dev.resilience.core.ResilienceEvent;
import dev.resilience.core.Subscription;
import dev.resilience.spring.ResilienceRegistries;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the most recent events of every policy instance, a bounded number per instance, for the
 * {@code resilienceevents} endpoint. It listens to every instance, including instances created after start-up,
 * and forgets removed ones. Recording is lock-free; reading copies and sorts, so it costs only the reader.
 *
 * <p>Listening makes the policies create event objects for every call: that is the price of this buffer, paid
 * only when the events endpoint is available.
 *
 * <p>Thread-safe. {@link #close()} stops listening.
 */
public final class ResilienceEventsBuffer implements AutoCloseable {

    private record Key(String kind, String name) {
    }

    private record Listening(EventRing ring, Subscription subscription) {
    }

    private final int capacityPerInstance;
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentHashMap<Key, Listening> rings = new ConcurrentHashMap<>();
    private final List<Subscription> registrySubscriptions = new CopyOnWriteArrayList<>();

    /**
     * Starts listening to every instance of every registry.
     *
     * @param registries the registries to follow
     * @param capacityPerInstance events kept per instance, at least 1
     */
    public ResilienceEventsBuffer(ResilienceRegistries registries, int capacityPerInstance) {
        this(registries, capacityPerInstance, null);
    }

    /**
     * Starts listening to every instance of every registry, and to every keyed instance (the events of all of its
     * keys, as one instance).
     *
     * @param registries the registries to follow
     * @param capacityPerInstance events kept per instance, at least 1
     * @param keyed the keyed instances to follow, or {@code null}
     */
    public ResilienceEventsBuffer(ResilienceRegistries registries, int capacityPerInstance, @Nullable KeyedInstances keyed) {
        if (capacityPerInstance < 1) {
            throw new IllegalArgumentException("capacityPerInstance must be >= 1 but was " + capacityPerInstance);
        }
        this.capacityPerInstance = capacityPerInstance;
        for (Registry<? extends Policy, ?> registry : registries.all()) {
            follow(registry);
        }
        if (keyed != null) {
            registrySubscriptions.add(keyed.onAdded(this::listen));
            keyed.all().forEach(this::listen);
        }
    }

    private void listen(KeyedPolicy<?> keyedPolicy) {
        rings.computeIfAbsent(new Key(keyedPolicy.kind(), keyedPolicy.name()), key -> {
            EventRing ring = new EventRing(capacityPerInstance);
            EventListener<ResilienceEvent> listener = event -> ring.add(new EventRing.Entry(sequence.incrementAndGet(), event));
            return new Listening(ring, keyedPolicy.events().subscribe(listener));
        });
    }

    private <P extends Policy> void follow(Registry<P, ?> registry) {
        // Subscribe before walking the existing instances so that none created in between is missed;
        // computeIfAbsent keeps an instance seen twice from being listened to twice.
        registrySubscriptions.add(registry.onAdded(this::listen));
        registrySubscriptions.add(registry.onRemoved(this::forget));
        registry.all().forEach(this::listen);
    }

    private void listen(Policy policy) {
        rings.computeIfAbsent(new Key(policy.kind(), policy.name()), key -> {
            EventRing ring = new EventRing(capacityPerInstance);
            EventListener<ResilienceEvent> listener = event -> ring.add(new EventRing.Entry(sequence.incrementAndGet(), event));
            return new Listening(ring, policy.events().subscribe(listener));
        });
    }

    private void forget(Policy policy) {
        Listening listening = rings.remove(new Key(policy.kind(), policy.name()));
        if (listening != null) {
            listening.subscription().close();
        }
    }

    /**
     * @param kind only events of this policy kind (e.g. {@code circuitbreaker}), or {@code null} for all
     * @param name only events of instances of this name, or {@code null} for all
     * @return the buffered events that match, oldest first (newest last)
     */
    public List<ResilienceEvent> events(@Nullable String kind, @Nullable String name) {
        List<EventRing.Entry> entries = new ArrayList<>();
        rings.forEach((key, listening) -> {
            if ((kind == null || kind.equals(key.kind())) && (name == null || name.equals(key.name()))) {
                listening.ring().copyTo(entries);
            }
        });
        entries.sort(Comparator.comparingLong(EventRing.Entry::sequence));
        List<ResilienceEvent> events = new ArrayList<>(entries.size());
        entries.forEach(entry -> events.add(entry.event()));
        return events;
    }

    /**
     * Forgets every buffered event and keeps listening: for tests, so that one test's events do not show in the
     * next one's (the resilience-test kit calls it before each test).
     */
    public void clear() {
        rings.values().forEach(listening -> listening.ring().clear());
    }

    /** @return the most events kept per instance */
    public int capacityPerInstance() {
        return capacityPerInstance;
    }

    /** Stops listening to the registries and to every instance. */
    @Override
    public void close() {
        registrySubscriptions.forEach(Subscription::close);
        registrySubscriptions.clear();
        rings.values().forEach(listening -> listening.subscription().close());
        rings.clear();
    }
}

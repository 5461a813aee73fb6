package dev.resilience.spring.keyed;

import dev.resilience.Policy;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.core.Clock;
import dev.resilience.core.Subscription;
import dev.resilience.keyed.KeyedPolicy;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.internal.StoreBackedRateLimiter;
import dev.resilience.spring.ResilienceRegistries;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The keyed rate limiters and bulkheads of an application, by instance name: created when an annotation with a
 * {@code key} is resolved (at start-up) or by code, each from the instance's resolved config
 * ({@code resilience.<kind>.instances.<name>}, its base configs, {@code configs.default}, then the config customizers:
 * {@code max-keys} and {@code key-idle-expiry} included), its keys' policies made by the instance's registry ({@link dev.resilience.core.Registry#create(String)}: config customizers and context
 * propagation included). They are not in the registries: a registry instance of the same name would be a second,
 * unkeyed limit, which start-up refuses where annotations ask for both.
 *
 * <p>A keyed rate limiter whose instance has {@code store: redis} shares each key's limit with every instance of the
 * service: each key's limiter counts in the store under {@code <name>:<key>} (Redis:
 * {@code <key-prefix>{<name>:<key>}}, a hash tag per key, expiring on its own). {@code max-keys} and
 * {@code key-idle-expiry} bound the keys this instance holds, not the store's; {@code on-store-failure} applies per key.
 *
 * <p>Thread-safe.
 */
public final class KeyedInstances {

    private final ResilienceRegistries registries;
    private final Clock clock;
    private final ConcurrentHashMap<String, KeyedPolicy<RateLimiter>> rateLimiters = new ConcurrentHashMap<>();
    /** The keyed rate limiters whose keys count in a shared store, by identity; known before their first key. */
    private final Set<KeyedPolicy<RateLimiter>> storeBacked = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, KeyedPolicy<Bulkhead>> bulkheads = new ConcurrentHashMap<>();
    private final List<Consumer<? super KeyedPolicy<?>>> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param registries where the instances' configs and their keys' policies come from
     * @param clock times the keys' idle expiry (the clock the registries' policies use)
     */
    public KeyedInstances(ResilienceRegistries registries, Clock clock) {
        this.registries = Objects.requireNonNull(registries, "registries");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param name instance name
     * @return the keyed rate limiter of that name, created on first use
     */
    public KeyedPolicy<RateLimiter> rateLimiter(String name) {
        KeyedPolicy<RateLimiter> existing = rateLimiters.get(name);
        if (existing != null) {
            return existing;
        }
        boolean[] created = new boolean[1];
        KeyedPolicy<RateLimiter> keyed = rateLimiters.computeIfAbsent(name, n -> {
            created[0] = true;
            // The bound as every key's limiter would see it: customizers included.
            RateLimiter template = registries.rateLimiters().create(n);
            RateLimiterConfig config = template.config();
            if (template instanceof StoreBackedRateLimiter shared) {
                // store: redis. Each key counts under a store key of its own (<name>:<key>), so that every instance
                // shares each key's limit; the template carries the registry's store, executor and context carrier.
                KeyedPolicy<RateLimiter> perKey = KeyedPolicy.rateLimiter(n, config, clock, shared::forKey);
                // Before the listeners hear of it: its store meters must exist from the start, not with its first key.
                storeBacked.add(perKey);
                return perKey;
            }
            return KeyedPolicy.rateLimiter(n, config, clock, () -> registries.rateLimiters().create(n));
        });
        if (created[0]) {
            listeners.forEach(listener -> listener.accept(keyed));
        }
        return keyed;
    }

    /**
     * @param name instance name
     * @return the keyed semaphore bulkhead of that name, created on first use
     */
    public KeyedPolicy<Bulkhead> bulkhead(String name) {
        KeyedPolicy<Bulkhead> existing = bulkheads.get(name);
        if (existing != null) {
            return existing;
        }
        boolean[] created = new boolean[1];
        KeyedPolicy<Bulkhead> keyed = bulkheads.computeIfAbsent(name, n -> {
            created[0] = true;
            BulkheadConfig config = registries.bulkheads().create(n).config();
            return KeyedPolicy.bulkhead(n, config, clock, () -> registries.bulkheads().create(n));
        });
        if (created[0]) {
            listeners.forEach(listener -> listener.accept(keyed));
        }
        return keyed;
    }

    /**
     * @param name instance name
     * @return the keyed rate limiter of that name, if it exists; never creates one
     */
    public Optional<KeyedPolicy<RateLimiter>> findRateLimiter(String name) {
        return Optional.ofNullable(rateLimiters.get(name));
    }

    /**
     * @param name instance name
     * @return the keyed bulkhead of that name, if it exists; never creates one
     */
    public Optional<KeyedPolicy<Bulkhead>> findBulkhead(String name) {
        return Optional.ofNullable(bulkheads.get(name));
    }

    /**
     * Whether a keyed rate limiter's keys count in a shared store ({@code store: redis} on its instance): known from its
     * creation, before it holds any key, so that its store meters and health exist from start-up.
     *
     * @param instance a keyed instance
     * @return whether it is a keyed rate limiter of this application whose keys' limiters count in a shared store
     */
    public boolean usesStore(KeyedPolicy<?> instance) {
        return instance != null && storeBacked.contains(instance);
    }

    /**
     * @param kind a policy kind as in property names ({@code ratelimiter}, {@code bulkhead}, ...)
     * @param name instance name
     * @return whether a keyed instance of that kind and name exists
     */
    public boolean isKeyed(String kind, String name) {
        return switch (kind) {
            case "ratelimiter" -> rateLimiters.containsKey(name);
            case Bulkhead.KIND -> bulkheads.containsKey(name);
            default -> false;
        };
    }

    /** @return every keyed rate limiter, sorted by name */
    public List<KeyedPolicy<RateLimiter>> rateLimiters() {
        return sorted(rateLimiters.values());
    }

    /** @return every keyed bulkhead, sorted by name */
    public List<KeyedPolicy<Bulkhead>> bulkheads() {
        return sorted(bulkheads.values());
    }

    /** @return every keyed instance of both kinds */
    public List<KeyedPolicy<? extends Policy>> all() {
        List<KeyedPolicy<? extends Policy>> all = new ArrayList<>(rateLimiters());
        all.addAll(bulkheads());
        return all;
    }

    /**
     * @param listener called with each keyed instance created from now on
     * @return closes the subscription
     */
    public Subscription onAdded(Consumer<? super KeyedPolicy<?>> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }

    private static <P extends Policy> List<KeyedPolicy<P>> sorted(java.util.Collection<KeyedPolicy<P>> values) {
        List<KeyedPolicy<P>> list = new ArrayList<>(values);
        list.sort((a, b) -> a.name().compareTo(b.name()));
        return list;
    }
}

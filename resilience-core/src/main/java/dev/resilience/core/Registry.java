package dev.resilience.core;

import dev.resilience.core.internal.Validate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The instances of one policy kind, by name. {@link #get(String)} creates an instance on first use from
 * its instance config, else the {@code default} config; {@link #find(String)} never creates. Listeners
 * hear about instances added and removed later (so metrics and endpoints see them). The number of
 * instances is bounded ({@link Builder#maxInstances(int)}): a registry fed names from outside cannot grow
 * without limit.
 *
 * <p>Thread-safe; lookups of existing instances are one concurrent-map read.
 *
 * <p>The registry knows its instances by the names it created them under, and asks nothing else of them: it holds
 * policies ({@code Registry<CircuitBreaker, CircuitBreakerConfig>}), but any type its factory creates will do.
 *
 * @param <P> the policy type
 * @param <C> its config type
 */
public final class Registry<P, C> {

    /** The name of the shared config used when an instance has none of its own. */
    public static final String DEFAULT_CONFIG = "default";

    /**
     * Creates a policy instance.
     *
     * @param <P> policy type
     * @param <C> config type
     */
    @FunctionalInterface
    public interface Factory<P, C> {
        /**
         * @param name instance name
         * @param config its config
         * @return the new instance
         */
        P create(String name, C config);
    }

    private final String kind;
    private final Factory<P, C> factory;
    private final Map<String, C> configs;
    private final Map<String, C> instanceConfigs;
    private final int maxInstances;
    private final ConcurrentHashMap<String, P> instances = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final EventPublisherList<P> added = new EventPublisherList<>();
    private final EventPublisherList<P> removed = new EventPublisherList<>();

    private Registry(Builder<P, C> builder) {
        this.kind = builder.kind;
        this.factory = builder.factory;
        this.configs = Map.copyOf(builder.configs);
        this.instanceConfigs = Map.copyOf(builder.instanceConfigs);
        this.maxInstances = builder.maxInstances;
    }

    /**
     * @param kind the policy kind (for messages), e.g. {@code circuitbreaker}
     * @param factory creates instances, e.g. {@code CircuitBreaker::of}
     * @param defaultConfig the config of instances that have none of their own
     * @param <P> policy type
     * @param <C> config type
     * @return a builder
     */
    public static <P, C> Builder<P, C> builder(String kind, Factory<P, C> factory, C defaultConfig) {
        return new Builder<>(kind, factory, defaultConfig);
    }

    /**
     * Returns the named instance, creating it on first use from its instance config, else the default config.
     *
     * @param name instance name
     * @return the instance
     * @throws IllegalStateException if creating it would exceed the registry's bound
     */
    public P get(String name) {
        P existing = instances.get(name);
        if (existing != null) {
            return existing;
        }
        C config = instanceConfigs.getOrDefault(name, configs.get(DEFAULT_CONFIG));
        return get(name, config);
    }

    /**
     * Returns the named instance, creating it with the given config if it does not exist yet (an existing
     * instance keeps its config).
     *
     * @param name instance name
     * @param config config for a new instance
     * @return the instance
     * @throws IllegalStateException if creating it would exceed the registry's bound
     * @throws NullPointerException if the factory returned null (whatever the factory throws passes through; a
     *     failed creation leaves nothing behind and takes no place in the bound)
     */
    public P get(String name, C config) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        P existing = instances.get(name);
        if (existing != null) {
            return existing;
        }
        boolean[] created = new boolean[1];
        P instance = instances.computeIfAbsent(name, n -> {
            if (size.incrementAndGet() > maxInstances) {
                size.decrementAndGet();
                throw new IllegalStateException("The " + kind + " registry holds its maximum of " + maxInstances
                        + " instances; refusing to create '" + n + "'");
            }
            // The place is taken before the factory runs (so that racing creations cannot overshoot the bound)
            // and given back if the factory fails: a failed creation holds no place.
            P fresh;
            try {
                fresh = factory.create(n, config);
            } catch (Throwable failure) {
                size.decrementAndGet();
                throw failure;
            }
            if (fresh == null) {
                size.decrementAndGet();
                throw new NullPointerException("The " + kind + " factory returned null for '" + n + "'");
            }
            created[0] = true;
            return fresh;
        });
        if (created[0]) {
            added.publish(instance);
        }
        return instance;
    }

    /**
     * Creates a fresh instance as {@link #get(String)} would create the named one (its instance config, else the
     * default config, through the registry's factory), without registering it: it is not returned by
     * {@link #find}, takes no place in the bound and publishes no added event. For instances that belong to something
     * else, e.g. one per key of a {@link dev.resilience.keyed.KeyedPolicy}.
     *
     * @param name instance name
     * @return a new, unregistered instance
     * @throws NullPointerException if the factory returned null (whatever it throws passes through)
     */
    public P create(String name) {
        Objects.requireNonNull(name, "name");
        P fresh = factory.create(name, configFor(name));
        if (fresh == null) {
            throw new NullPointerException("The " + kind + " factory returned null for '" + name + "'");
        }
        return fresh;
    }

    /**
     * Returns the named instance, creating it from a named shared config if it does not exist yet.
     *
     * @param name instance name
     * @param configName a config registered with {@link Builder#config(String, Object)}
     * @return the instance
     * @throws IllegalArgumentException if no config has that name
     */
    public P getWithConfig(String name, String configName) {
        C config = configs.get(configName);
        if (config == null) {
            throw new IllegalArgumentException("No " + kind + " config named '" + configName + "'; known: " + configs.keySet());
        }
        return get(name, config);
    }

    /**
     * @param name instance name
     * @return the instance if it exists; never creates one
     */
    public Optional<P> find(String name) {
        return Optional.ofNullable(instances.get(name));
    }

    /** @return every instance, sorted by name */
    public List<P> all() {
        List<Map.Entry<String, P>> entries = new ArrayList<>(instances.entrySet());
        entries.sort(Map.Entry.comparingByKey());
        List<P> all = new ArrayList<>(entries.size());
        for (Map.Entry<String, P> entry : entries) {
            all.add(entry.getValue());
        }
        return all;
    }

    /** @return the number of instances */
    public int size() {
        return instances.size();
    }

    /**
     * @param name instance name
     * @return the removed instance, if there was one
     */
    public Optional<P> remove(String name) {
        P instance = instances.remove(name);
        if (instance != null) {
            size.decrementAndGet();
            removed.publish(instance);
        }
        return Optional.ofNullable(instance);
    }

    /**
     * @param listener called with each instance created from now on
     * @return closes the subscription
     */
    public Subscription onAdded(Consumer<? super P> listener) {
        return added.add(listener);
    }

    /**
     * @param listener called with each instance removed from now on
     * @return closes the subscription
     */
    public Subscription onRemoved(Consumer<? super P> listener) {
        return removed.add(listener);
    }

    /** @return the policy kind */
    public String kind() {
        return kind;
    }

    /**
     * @param configName a shared config name
     * @return that config, if registered
     */
    public Optional<C> config(String configName) {
        return Optional.ofNullable(configs.get(configName));
    }

    /** @return the names of the shared configs */
    public Set<String> configNames() {
        return configs.keySet();
    }

    /** @return the config used for instances with none of their own */
    public C defaultConfig() {
        return configs.get(DEFAULT_CONFIG);
    }

    /**
     * @param name instance name
     * @return the config a new instance of that name would get
     */
    public C configFor(String name) {
        return instanceConfigs.getOrDefault(name, configs.get(DEFAULT_CONFIG));
    }

    /** @return the instance configs given at build time, by instance name */
    public Map<String, C> instanceConfigs() {
        return instanceConfigs;
    }

    /**
     * Builds a {@link Registry}.
     *
     * @param <P> policy type
     * @param <C> config type
     */
    public static final class Builder<P, C> {
        private final String kind;
        private final Factory<P, C> factory;
        private final Map<String, C> configs = new LinkedHashMap<>();
        private final Map<String, C> instanceConfigs = new LinkedHashMap<>();
        private int maxInstances = 10_000;

        private Builder(String kind, Factory<P, C> factory, C defaultConfig) {
            this.kind = Objects.requireNonNull(kind, "kind");
            this.factory = Objects.requireNonNull(factory, "factory");
            configs.put(DEFAULT_CONFIG, Validate.nonNull("defaultConfig", defaultConfig));
        }

        /**
         * @param name shared config name ({@code default} replaces the default config)
         * @param config the config
         * @return this builder
         */
        public Builder<P, C> config(String name, C config) {
            configs.put(Objects.requireNonNull(name, "name"), Validate.nonNull("config", config));
            return this;
        }

        /**
         * @param name instance name
         * @param config the config that instance gets when created
         * @return this builder
         */
        public Builder<P, C> instanceConfig(String name, C config) {
            instanceConfigs.put(Objects.requireNonNull(name, "name"), Validate.nonNull("config", config));
            return this;
        }

        /**
         * @param maxInstances bound on the number of instances, at least 1 (default 10,000)
         * @return this builder
         */
        public Builder<P, C> maxInstances(int maxInstances) {
            this.maxInstances = Validate.atLeast("maxInstances", maxInstances, 1);
            return this;
        }

        /** @return the registry */
        public Registry<P, C> build() {
            return new Registry<>(this);
        }
    }

    /** Listeners of registry changes; few, and changed rarely. */
    private static final class EventPublisherList<P> {
        private final java.util.concurrent.CopyOnWriteArrayList<Consumer<? super P>> listeners =
                new java.util.concurrent.CopyOnWriteArrayList<>();

        Subscription add(Consumer<? super P> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return () -> listeners.remove(listener);
        }

        void publish(P instance) {
            for (Consumer<? super P> listener : listeners) {
                listener.accept(instance);
            }
        }
    }

    @Override
    public String toString() {
        Collection<String> names = instances.keySet();
        return "Registry[" + kind + ", instances=" + names + "]";
    }
}

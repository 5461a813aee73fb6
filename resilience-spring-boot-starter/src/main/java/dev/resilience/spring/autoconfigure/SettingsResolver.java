package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.ResilienceConfigurationException;

import dev.resilience.core.InvalidConfigException;
import org.springframework.util.ClassUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns one kind's properties into core configs, the only place where properties meet builders. A value
 * comes from the instance itself, else its {@code base-config} chain, else {@code configs.default}, else
 * the built-in default; every validation error names the full property the bad value came from.
 *
 * @param <S> the kind's properties type
 * @param <B> the core config builder type
 * @param <C> the core config type
 */
final class SettingsResolver<S extends InstanceProperties, B, C> {

    /**
     * One property: its kebab-case name, how to read it, how to apply it to a builder.
     *
     * @param property kebab-case property name
     * @param setting camelCase setting name (as core validation reports it)
     * @param getter reads it from properties (null when unset)
     * @param setter applies a converted value to the builder
     * @param classList whether the value is a list of exception class names
     */
    record Setting<S, B>(String property, String setting, Function<S, Object> getter, BiConsumer<B, Object> setter,
                         boolean classList) {
    }

    /**
     * A rule between settings that no single builder call can check, applied to every resolved config.
     *
     * @param <C> the core config type
     */
    @FunctionalInterface
    interface Check<C> {
        /**
         * @param config the resolved config
         * @param origin the full property a setting (camelCase) came from, or null when it has its built-in default
         * @param path the properties path of what is being resolved, e.g. {@code resilience.circuitbreaker.instances.a}
         * @throws ResilienceConfigurationException when the rule is broken
         */
        void check(C config, Function<String, String> origin, String path);
    }

    private static final String DEFAULT = "default";

    private final KindProperties<S> properties;
    private final Sources<S> sources;
    private final Supplier<B> newBuilder;
    private final Function<B, C> build;
    private final List<Setting<S, B>> settings;
    private final ClassLoader classLoader;
    private final Check<C> check;

    SettingsResolver(String kind, KindProperties<S> properties, Supplier<B> newBuilder, Function<B, C> build,
                     List<Setting<S, B>> settings, ClassLoader classLoader) {
        this(kind, properties, newBuilder, build, settings, classLoader, (config, origin, path) -> { });
    }

    SettingsResolver(String kind, KindProperties<S> properties, Supplier<B> newBuilder, Function<B, C> build,
                     List<Setting<S, B>> settings, ClassLoader classLoader, Check<C> check) {
        this.check = check;
        this.properties = properties;
        this.sources = new Sources<>(kind, properties);
        this.newBuilder = newBuilder;
        this.build = build;
        this.settings = settings;
        this.classLoader = classLoader;
    }

    static <S, B> Setting<S, B> value(String property, Function<S, Object> getter, BiConsumer<B, Object> setter) {
        return new Setting<>(property, camel(property), getter, setter, false);
    }

    static <S, B> Setting<S, B> classes(String property, Function<S, Object> getter, BiConsumer<B, Object> setter) {
        return new Setting<>(property, camel(property), getter, setter, true);
    }

    /** @return every shared config, resolved, by name (always including {@code default}) */
    Map<String, C> configs() {
        Map<String, C> result = new LinkedHashMap<>();
        for (String name : properties.getConfigs().keySet()) {
            result.put(name, build(sources.forConfig(name), "configs." + name));
        }
        result.computeIfAbsent(DEFAULT, n -> build(sources.forConfig(n), "configs." + DEFAULT));
        return result;
    }

    /** @return every configured instance, resolved, by name */
    Map<String, C> instances() {
        Map<String, C> result = new LinkedHashMap<>();
        for (String name : properties.getInstances().keySet()) {
            if (name.indexOf('/') >= 0) {
                // The actuator endpoints address an instance as one path segment: such a name could be neither read nor steered.
                String property = sources.prefix() + "instances.[" + name + "]";
                throw new ResilienceConfigurationException(
                        "Instance name '" + name + "' (property '" + property + "') contains '/', which the actuator "
                                + "endpoints cannot address (an instance is one segment of their path).",
                        "Rename the instance under '" + sources.prefix() + "instances' without '/' (e.g. '"
                                + name.replace('/', '-') + "'), and the annotation's name with it.");
            }
            result.put(name, build(sources.forInstance(name), "instances." + name));
        }
        return result;
    }

    /**
     * Where each setting of one kind's configs and instances comes from: the settings object itself, its
     * {@code base-config} chain, then {@code configs.default} and that config's own {@code base-config} chain.
     * Every instance, configured or created on first use, and every reader of a setting that is not part of a
     * core config (e.g. the health contributor's {@code allow-health-indicator-to-fail}) resolves through here.
     *
     * @param <S> the kind's properties type
     */
    static final class Sources<S extends InstanceProperties> {

        private final String prefix;
        private final KindProperties<S> properties;

        /**
         * @param kind the kind as it appears in property names, e.g. {@code circuitbreaker}
         * @param properties that kind's configs and instances
         */
        Sources(String kind, KindProperties<S> properties) {
            this.prefix = "resilience." + kind + ".";
            this.properties = properties;
        }

        /**
         * @param instanceName an instance name, configured or not
         * @param getter reads one setting (null when unset)
         * @param <T> the setting's type
         * @return the setting from the nearest source that sets it, empty when none does (the built-in default applies)
         */
        <T> Optional<T> first(String instanceName, Function<S, T> getter) {
            for (Source<S> source : forInstance(instanceName)) {
                T value = getter.apply(source.settings());
                if (value != null) {
                    return Optional.of(value);
                }
            }
            return Optional.empty();
        }

        String prefix() {
            return prefix;
        }

        /** The sources of an instance, nearest first; an instance without properties starts at {@code configs.default}. */
        List<Source<S>> forInstance(String name) {
            S own = properties.getInstances().get(name);
            if (own == null) {
                return forConfig(DEFAULT);
            }
            String path = prefix + "instances." + name;
            List<Source<S>> chain = new ArrayList<>();
            chain.add(new Source<>(path, own));
            chain.addAll(baseChain(own, path, null));
            return chain;
        }

        /** The sources of a shared config, nearest first (none for an undefined config). */
        List<Source<S>> forConfig(String name) {
            S own = properties.getConfigs().get(name);
            if (own == null) {
                return new ArrayList<>();
            }
            String path = prefix + "configs." + name;
            List<Source<S>> chain = new ArrayList<>();
            chain.add(new Source<>(path, own));
            chain.addAll(baseChain(own, path, name));
            return chain;
        }

        /**
         * The configs a settings object inherits from, nearest first: its explicit {@code base-config} chain,
         * then, unless that chain already passed it, {@code configs.default} followed by its own chain.
         */
        private List<Source<S>> baseChain(S start, String startPath, String startName) {
            List<Source<S>> chain = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            if (startName != null) {
                seen.add(startName);
            }
            walk(start, startPath, seen, chain, true);
            S defaults = properties.getConfigs().get(DEFAULT);
            if (defaults != null && seen.add(DEFAULT)) {
                String path = prefix + "configs." + DEFAULT;
                chain.add(new Source<>(path, defaults));
                // configs.default's own chain was checked for cycles when configs.default was resolved; here
                // a config already in the chain just ends it.
                walk(defaults, path, seen, chain, false);
            }
            return chain;
        }

        private void walk(S start, String startPath, Set<String> seen, List<Source<S>> chain, boolean failOnCycle) {
            S current = start;
            String currentPath = startPath;
            while (current.getBaseConfig() != null) {
                String base = current.getBaseConfig();
                S next = properties.getConfigs().get(base);
                if (next == null) {
                    throw new ResilienceConfigurationException(
                            "Property '" + currentPath + ".base-config' names config '" + base + "', but no '"
                                    + prefix + "configs." + base + "' is defined (defined: "
                                    + properties.getConfigs().keySet() + ").",
                            "Define '" + prefix + "configs." + base + "' or set '" + currentPath
                                    + ".base-config' to one of " + properties.getConfigs().keySet() + ".");
                }
                if (!seen.add(base)) {
                    if (!failOnCycle) {
                        return;
                    }
                    throw new ResilienceConfigurationException(
                            "Property '" + currentPath + ".base-config' makes a cycle of base configs: " + seen + ".",
                            "Break the cycle: a base-config must not lead back to itself.");
                }
                currentPath = prefix + "configs." + base;
                chain.add(new Source<>(currentPath, next));
                current = next;
            }
        }
    }

    private C build(List<Source<S>> chain, String what) {
        B builder = newBuilder.get();
        Map<String, String> origin = new LinkedHashMap<>();
        for (Setting<S, B> setting : settings) {
            for (Source<S> source : chain) {
                Object value = setting.getter().apply(source.settings());
                if (value == null) {
                    continue;
                }
                String property = source.path() + "." + setting.property();
                origin.put(setting.setting(), property);
                Object converted = setting.classList() ? loadClasses(property, value) : value;
                try {
                    setting.setter().accept(builder, converted);
                } catch (InvalidConfigException e) {
                    throw ResilienceConfigurationException.invalidProperty(property, value, e.allowed());
                }
                break;
            }
        }
        C config;
        try {
            config = build.apply(builder);
        } catch (InvalidConfigException e) {
            String property = origin.getOrDefault(e.setting(), sources.prefix() + what + "." + kebab(e.setting()));
            String allowed = e.allowed();
            if (e.relation() != null) {
                // Name the other setting as the property it came from, or as the built-in default it is.
                String related = origin.get(e.relatedSetting());
                allowed = e.relation() + " " + (related != null ? "'" + related + "'"
                        : "the built-in " + kebab(e.relatedSetting()) + " of " + sources.prefix() + what)
                        + " (" + ResilienceConfigurationException.display(e.relatedValue()) + ")";
            }
            throw ResilienceConfigurationException.invalidProperty(property, e.value(), allowed);
        }
        check.check(config, origin::get, sources.prefix() + what);
        return config;
    }

    @SuppressWarnings("unchecked")
    private Class<? extends Throwable>[] loadClasses(String property, Object value) {
        List<?> names = (List<?>) value;
        Class<? extends Throwable>[] result = (Class<? extends Throwable>[]) new Class<?>[names.size()];
        for (int i = 0; i < names.size(); i++) {
            String name = String.valueOf(names.get(i)).trim();
            String element = property + "[" + i + "]";
            Class<?> type;
            try {
                type = ClassUtils.forName(name, classLoader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new ResilienceConfigurationException(
                        "Property '" + element + "' names exception class '" + name + "', which is not on the classpath.",
                        "Correct '" + element + "' to the fully qualified name of a Throwable class, e.g. java.io.IOException.", e);
            }
            if (!Throwable.class.isAssignableFrom(type)) {
                throw new ResilienceConfigurationException(
                        "Property '" + element + "' names class '" + name + "', which is not a Throwable.",
                        "Correct '" + element + "' to the fully qualified name of an exception class.");
            }
            result[i] = (Class<? extends Throwable>) type;
        }
        return result;
    }

    /** One settings object and the property path it was bound from. */
    record Source<S>(String path, S settings) {
    }

    static String camel(String kebab) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    static String kebab(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

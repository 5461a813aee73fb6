package dev.resilience.spring.autoconfigure;

import dev.resilience.core.InvalidConfigException;
import org.springframework.util.ClassUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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

    private final String kind;
    private final KindProperties<S> properties;
    private final Supplier<B> newBuilder;
    private final Function<B, C> build;
    private final List<Setting<S, B>> settings;
    private final ClassLoader classLoader;

    SettingsResolver(String kind, KindProperties<S> properties, Supplier<B> newBuilder, Function<B, C> build,
                     List<Setting<S, B>> settings, ClassLoader classLoader) {
        this.kind = kind;
        this.properties = properties;
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
            result.put(name, build(chainForConfig(name), "configs." + name));
        }
        result.computeIfAbsent("default", n -> build(chainForConfig(n), "configs.default"));
        return result;
    }

    /** @return every configured instance, resolved, by name */
    Map<String, C> instances() {
        Map<String, C> result = new LinkedHashMap<>();
        properties.getInstances().forEach((name, own) -> {
            List<Source<S>> chain = new ArrayList<>();
            chain.add(new Source<>(prefix() + "instances." + name, own));
            chain.addAll(baseChain(own, prefix() + "instances." + name));
            result.put(name, build(chain, "instances." + name));
        });
        return result;
    }

    private String prefix() {
        return "resilience." + kind + ".";
    }

    private List<Source<S>> chainForConfig(String name) {
        List<Source<S>> chain = new ArrayList<>();
        S own = properties.getConfigs().get(name);
        if (own == null) {
            return chain;
        }
        chain.add(new Source<>(prefix() + "configs." + name, own));
        if (own.getBaseConfig() != null || !"default".equals(name)) {
            chain.addAll(baseChain(own, prefix() + "configs." + name));
        }
        return chain;
    }

    /** The configs a settings object inherits from, nearest first, ending with {@code default}. */
    private List<Source<S>> baseChain(S start, String startPath) {
        List<Source<S>> chain = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        S current = start;
        String currentPath = startPath;
        while (current.getBaseConfig() != null) {
            String base = current.getBaseConfig();
            S next = properties.getConfigs().get(base);
            if (next == null) {
                throw new ResilienceConfigurationException(
                        "Property '" + currentPath + ".base-config' names config '" + base + "', but no '"
                                + prefix() + "configs." + base + "' is defined (defined: "
                                + properties.getConfigs().keySet() + ").",
                        "Define '" + prefix() + "configs." + base + "' or set '" + currentPath
                                + ".base-config' to one of " + properties.getConfigs().keySet() + ".");
            }
            if (!seen.add(base)) {
                throw new ResilienceConfigurationException(
                        "Property '" + currentPath + ".base-config' makes a cycle of base configs: " + seen + ".",
                        "Break the cycle: a base-config must not lead back to itself.");
            }
            currentPath = prefix() + "configs." + base;
            chain.add(new Source<>(currentPath, next));
            current = next;
        }
        S defaults = properties.getConfigs().get("default");
        if (defaults != null && !seen.contains("default") && current != defaults) {
            chain.add(new Source<>(prefix() + "configs.default", defaults));
        }
        return chain;
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
        try {
            return build.apply(builder);
        } catch (InvalidConfigException e) {
            String property = origin.getOrDefault(e.setting(), prefix() + what + "." + kebab(e.setting()));
            throw ResilienceConfigurationException.invalidProperty(property, e.value(), e.allowed());
        }
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

    private record Source<S>(String path, S settings) {
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

package dev.resilience.spring.autoconfigure;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;

import java.beans.PropertyDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reports what Spring Boot's binder refuses under {@code resilience.*} in the terms the rest of our start-up failures
 * use: a misspelled key with the property it most likely meant and the keys allowed there, and a value of the wrong
 * type with the kind of value the property takes. Runs before Boot's own analyzers, which name the property but
 * describe it through the binder's internals; any other binding failure is left to them.
 */
public class ResiliencePropertiesFailureAnalyzer extends AbstractFailureAnalyzer<BindException> implements Ordered {

    private static final String PREFIX = "resilience";

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        if (cause.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
            return unknownKeys(unbound, cause);
        }
        ConfigurationProperty property = cause.getProperty();
        if (property == null || !isOurs(property.getName())) {
            return null;
        }
        String expected = expected(cause.getTarget().getType());
        if (expected == null) {
            return null;
        }
        String name = property.getName().toString();
        return new FailureAnalysis("Invalid value '" + property.getValue() + "' for property '" + name + "'" + from(property.getOrigin())
                + ": it must be " + expected + ".",
                "Update '" + name + "' in your application configuration to " + expected + ".", cause);
    }

    private static FailureAnalysis unknownKeys(UnboundConfigurationPropertiesException unbound, BindException cause) {
        List<ConfigurationProperty> properties = new ArrayList<>(new TreeSet<>(unbound.getUnboundProperties()));
        if (properties.isEmpty() || !properties.stream().allMatch(p -> isOurs(p.getName()))) {
            return null;
        }
        StringBuilder description = new StringBuilder(properties.size() == 1 ? "Unknown property" : "Unknown properties");
        Map<ConfigurationPropertyName, List<String>> allowedByParent = new java.util.LinkedHashMap<>();
        for (ConfigurationProperty property : properties) {
            ConfigurationPropertyName name = property.getName();
            List<String> allowed = allowedByParent.computeIfAbsent(name.getParent(), parent -> keysBeside(name));
            String meant = closest(name.getLastElement(Form.DASHED), allowed);
            description.append(properties.size() == 1 ? " '" : "\n    '").append(name).append("'").append(from(property.getOrigin()));
            if (meant != null) {
                description.append(": did you mean '").append(name.getParent()).append('.').append(meant).append("'?");
            } else if (properties.size() == 1) {
                description.append('.');
            }
        }
        StringBuilder action = new StringBuilder("Correct or remove " + (properties.size() == 1 ? "it" : "them")
                + " (resilience.* accepts no other keys, so that a misspelled setting cannot be ignored silently).");
        allowedByParent.forEach((parent, allowed) -> {
            if (!allowed.isEmpty()) {
                action.append("\nThe properties of '").append(parent).append("' are ").append(String.join(", ", allowed)).append('.');
            }
        });
        return new FailureAnalysis(description.toString(), action.toString(), cause);
    }

    private static boolean isOurs(ConfigurationPropertyName name) {
        return name.getNumberOfElements() > 0 && PREFIX.equals(name.getElement(0, Form.DASHED));
    }

    /** @return where the value came from: a file and line, or the name of its property source */
    private static String from(Origin origin) {
        if (origin instanceof PropertySourceOrigin source) {
            // Its own text repeats the property's name: show the location within the source, else the source.
            return " (from " + (source.getOrigin() != null ? source.getOrigin() : source.getPropertySource().getName()) + ")";
        }
        return origin == null ? "" : " (from " + origin + ")";
    }

    /** @return the kind of value a property of this type takes, in words; {@code null} for a type left to Boot */
    private static String expected(ResolvableType type) {
        Class<?> raw = type.resolve();
        if (raw == null) {
            return null;
        }
        if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
            return "a whole number";
        }
        if (raw == Float.class || raw == float.class || raw == Double.class || raw == double.class) {
            return "a number";
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return "true or false";
        }
        if (raw == Duration.class) {
            return "a duration such as 500ms, 10s or 1m";
        }
        if (raw.isEnum()) {
            // As declared (the binder takes any case, and '-' for '_'): COUNT_BASED is how the README writes it.
            return "one of " + Arrays.stream(raw.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
        }
        return null;
    }

    /**
     * @return the keys the binder accepts where {@code name} stands (its siblings), dashed and sorted; empty where
     *     that place cannot be followed through {@link ResilienceProperties}
     */
    static List<String> keysBeside(ConfigurationPropertyName name) {
        ResolvableType type = ResolvableType.forClass(ResilienceProperties.class);
        for (int i = 1; i < name.getNumberOfElements() - 1 && type != ResolvableType.NONE; i++) {
            Class<?> raw = type.resolve();
            if (raw == null) {
                return List.of();
            }
            if (Map.class.isAssignableFrom(raw)) {
                type = type.asMap().getGeneric(1); // this element is a key: an instance's or a config's name
            } else if (Collection.class.isAssignableFrom(raw)) {
                type = type.asCollection().getGeneric(0);
            } else {
                PropertyDescriptor descriptor = descriptor(raw, name.getElement(i, Form.DASHED));
                if (descriptor == null) {
                    return List.of();
                }
                type = ResolvableType.forMethodReturnType(descriptor.getReadMethod(), raw);
            }
        }
        Class<?> parent = type.resolve();
        if (parent == null || Map.class.isAssignableFrom(parent) || Collection.class.isAssignableFrom(parent)) {
            return List.of();
        }
        return Arrays.stream(BeanUtils.getPropertyDescriptors(parent))
                .filter(d -> d.getReadMethod() != null && !"class".equals(d.getName()))
                .map(d -> dashed(d.getName())).sorted().toList();
    }

    private static PropertyDescriptor descriptor(Class<?> type, String dashed) {
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
            if (descriptor.getReadMethod() != null && dashed(descriptor.getName()).equals(dashed)) {
                return descriptor;
            }
        }
        return null;
    }

    private static String dashed(String camel) {
        return SettingsResolver.kebab(camel);
    }

    /** @return the allowed key nearest to {@code key} by edit distance, if near enough to be a slip; else null */
    static String closest(String key, List<String> allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : allowed) {
            int distance = distance(key, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 4) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

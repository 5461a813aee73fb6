package dev.resilience.spring.migration;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.resilience.spring.migration.Resilience4jKeys.*;

/**
 * What the {@code resilience4j.*} properties of one environment become: each key's new name (or why it has none),
 * and the {@code resilience.*} properties that reading them gives. Built once at start-up; immutable after.
 *
 * <p>Most settings keep their name in kebab case under {@code resilience.<kind>}. Resilience4j's backoff switches
 * are folded into the values they switch on, as Resilience4j resolves them (per entry, after merging the base config
 * into it): {@code enable-exponential-backoff: true} with {@code exponential-backoff-multiplier} (1.5 when unset)
 * becomes our multiplier, otherwise the multiplier is 1; {@code enable-randomized-wait: true} with
 * {@code randomized-wait-factor} (0.5 when unset) becomes our factor, otherwise 0; the maximum wait applies only with
 * exponential backoff. Exception lists name Resilience4j's own exceptions by our classes, and name our timeout's
 * exception next to {@code java.util.concurrent.TimeoutException} (what Resilience4j's time limiter throws).
 */
final class Resilience4jTranslation {

    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of(PREFIX);
    private static final Set<String> RETRY_BACKOFF = Set.of(ENABLE_EXPONENTIAL_BACKOFF, EXPONENTIAL_BACKOFF_MULTIPLIER,
            EXPONENTIAL_MAX_WAIT_DURATION, ENABLE_RANDOMIZED_WAIT, RANDOMIZED_WAIT_FACTOR);
    private static final Set<String> EXCEPTION_LISTS = Set.of("recordexceptions", "ignoreexceptions", "retryexceptions");
    private static final String TIMEOUT_EXCEPTION = "java.util.concurrent.TimeoutException";
    private static final String OUR_TIMEOUT_EXCEPTION = "dev.resilience.timeout.TimeoutExceededException";
    /** Resilience4j's exceptions that a list may name, and ours. */
    private static final Map<String, String> EXCEPTIONS = Map.of(
            "io.github.resilience4j.circuitbreaker.CallNotPermittedException",
            "dev.resilience.circuitbreaker.CallNotPermittedException",
            "io.github.resilience4j.bulkhead.BulkheadFullException", "dev.resilience.bulkhead.BulkheadFullException",
            "io.github.resilience4j.ratelimiter.RequestNotPermittedException",
            "dev.resilience.ratelimiter.RequestNotPermittedException",
            "io.github.resilience4j.retry.MaxRetriesExceededException", "dev.resilience.retry.MaxRetriesExceededException");
    private static final Set<String> BREAKER_BACKOFF = Set.of(ENABLE_EXPONENTIAL_BACKOFF, EXPONENTIAL_BACKOFF_MULTIPLIER,
            EXPONENTIAL_MAX_WAIT_DURATION_IN_OPEN_STATE);

    /** A Resilience4j key found in the environment. */
    private record Found(ConfigurationPropertyName name, String key, ConfigurationProperty property) {
    }

    /** One config or instance: our kind, {@code configs} or {@code instances}, its name as written. */
    private record Entry(String kind, String section, String name) {
    }

    /** A renamed setting (without list indexes), for the log. */
    record Renamed(String from, String to, String note, boolean shadowed) {
    }

    /** A key with no equivalent, for the log. */
    record Unmapped(String from, String reason) {
    }

    private final Map<String, Renamed> renamed = new LinkedHashMap<>();
    private final Map<String, Unmapped> unmapped = new LinkedHashMap<>();
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final Map<String, Origin> origins = new LinkedHashMap<>();
    private final Iterable<ConfigurationPropertySource> sources;

    private Resilience4jTranslation(Iterable<ConfigurationPropertySource> sources) {
        this.sources = sources;
    }

    /**
     * @param environment where to look, in its precedence order (a key set in two places is read from the first)
     * @return the translation of every {@code resilience4j.*} key there, empty when there is none
     */
    static Resilience4jTranslation of(Environment environment) {
        Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(environment);
        Resilience4jTranslation translation = new Resilience4jTranslation(sources);
        translation.translate(find(sources));
        return translation;
    }

    private static List<Found> find(Iterable<ConfigurationPropertySource> sources) {
        Map<ConfigurationPropertyName, ConfigurationProperty> found = new TreeMap<>(Comparator.comparing(Object::toString));
        for (ConfigurationPropertySource source : sources) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream().filter(ROOT::isAncestorOf).forEach(name -> {
                    if (!found.containsKey(name)) {
                        ConfigurationProperty property = source.getConfigurationProperty(name);
                        if (property != null) {
                            found.put(name, property);
                        }
                    }
                });
            }
        }
        List<Found> result = new ArrayList<>(found.size());
        found.forEach((name, property) -> result.add(new Found(name, original(name, 0, name.getNumberOfElements()), property)));
        return result;
    }

    /** @return whether no {@code resilience4j.*} key was found */
    boolean isEmpty() {
        return renamed.isEmpty() && unmapped.isEmpty();
    }

    /** @return the {@code resilience.*} properties reading the keys gives, by name */
    Map<String, Object> properties() {
        return properties;
    }

    /** @return where each translated property's value was written, by the translated name */
    Map<String, Origin> origins() {
        return origins;
    }

    /** @return the renamed settings, in key order */
    List<Renamed> renamed() {
        return List.copyOf(renamed.values());
    }

    /** @return the keys without equivalent, in key order */
    List<Unmapped> unmapped() {
        return List.copyOf(unmapped.values());
    }

    private void translate(List<Found> all) {
        Map<Entry, Map<String, List<Found>>> entries = new LinkedHashMap<>();
        for (Found found : all) {
            ConfigurationPropertyName name = found.name();
            int elements = name.getNumberOfElements();
            String kindName = elements > 1 ? name.getElement(1, Form.UNIFORM) : "";
            String kind = KINDS.get(kindName);
            if (kind == null) {
                unmapped(found, 2, otherSection(kindName));
                continue;
            }
            String section = elements > 2 ? name.getElement(2, Form.UNIFORM) : "";
            if (!section.equals("configs") && !section.equals("instances") && !section.equals("backends")) {
                unmapped(found, 3, otherSection(section));
                continue;
            }
            if (elements < 5) {
                unmapped(found, elements, UNKNOWN);
                continue;
            }
            // Resilience4j still reads "backends" as an older name of "instances".
            Entry entry = new Entry(kind, section.equals("configs") ? "configs" : "instances", name.getElement(3, Form.ORIGINAL));
            entries.computeIfAbsent(entry, e -> new LinkedHashMap<>())
                    .computeIfAbsent(name.getElement(4, Form.UNIFORM), s -> new ArrayList<>()).add(found);
        }
        entries.forEach((entry, settings) -> settings.forEach((setting, keys) -> {
            String same = SAME.get(entry.kind()).get(setting);
            if (same != null && EXCEPTION_LISTS.contains(setting)) {
                exceptionList(prefix(entry) + same, keys);
            } else if (same != null) {
                for (Found found : keys) {
                    String to = prefix(entry) + same + original(found.name(), 5, found.name().getNumberOfElements());
                    put(to, found.property().getValue(), found);
                    rename(found, prefix(entry) + same, null);
                }
            } else if (!backoff(entry.kind()).contains(setting)) {
                String reason = noEquivalent(entry.kind(), setting);
                keys.forEach(found -> unmapped(found, 5, reason != null ? reason : UNKNOWN));
            }
        }));
        entries.forEach((entry, settings) -> {
            if (settings.keySet().stream().anyMatch(backoff(entry.kind())::contains)) {
                foldBackoff(entry, settings, entries);
            }
        });
    }

    /**
     * An exception list, as one list whichever way it was written (indexed, or comma-separated), with Resilience4j's
     * own exception classes renamed to ours, and our timeout's exception added next to
     * {@code java.util.concurrent.TimeoutException}, which is what Resilience4j's time limiter throws: a list meant
     * to record (or retry, or ignore) timeouts keeps doing so.
     */
    private void exceptionList(String to, List<Found> keys) {
        List<String> classes = new ArrayList<>();
        for (Found found : keys) {
            for (String name : String.valueOf(found.property().getValue()).split(",")) {
                if (!name.isBlank()) {
                    classes.add(name.trim());
                }
            }
        }
        List<String> ours = new ArrayList<>(classes.size() + 1);
        for (String name : classes) {
            ours.add(EXCEPTIONS.getOrDefault(name, name));
        }
        if (ours.contains(TIMEOUT_EXCEPTION) && !ours.contains(OUR_TIMEOUT_EXCEPTION)) {
            ours.add(ours.indexOf(TIMEOUT_EXCEPTION) + 1, OUR_TIMEOUT_EXCEPTION);
        }
        for (int i = 0; i < ours.size(); i++) {
            put(to + "[" + i + "]", ours.get(i), keys.get(0));
        }
        String note = ours.equals(classes) ? null : "as " + String.join(", ", ours);
        keys.forEach(found -> rename(found, to, note));
    }

    private static Set<String> backoff(String kind) {
        return switch (kind) {
            case "retry" -> RETRY_BACKOFF;
            case "circuitbreaker" -> BREAKER_BACKOFF;
            default -> Set.of();
        };
    }

    private void foldBackoff(Entry entry, Map<String, List<Found>> own, Map<Entry, Map<String, List<Found>>> entries) {
        boolean retry = entry.kind().equals("retry");
        boolean exponential = "true".equalsIgnoreCase(String.valueOf(merged(entry, ENABLE_EXPONENTIAL_BACKOFF, entries)));
        Object multiplier = merged(entry, EXPONENTIAL_BACKOFF_MULTIPLIER, entries);
        String maxWaitSetting = retry ? EXPONENTIAL_MAX_WAIT_DURATION : EXPONENTIAL_MAX_WAIT_DURATION_IN_OPEN_STATE;
        Object maxWait = merged(entry, maxWaitSetting, entries);
        String prefix = prefix(entry);
        String multiplierKey = prefix + (retry ? "exponential-backoff-multiplier" : "wait-duration-in-open-state-multiplier");
        String maxWaitKey = prefix + (retry ? "exponential-max-wait-duration" : "max-wait-duration-in-open-state");
        Found origin = own.values().stream().flatMap(List::stream)
                .filter(f -> backoff(entry.kind()).contains(f.name().getElement(4, Form.UNIFORM))).findFirst().orElseThrow();
        put(multiplierKey, exponential ? (multiplier != null ? multiplier : DEFAULT_MULTIPLIER) : "1", origin);
        if (exponential && maxWait != null) {
            put(maxWaitKey, maxWait, origin);
        }
        String randomKey = prefix + "randomized-wait-factor";
        if (retry) {
            boolean randomized = "true".equalsIgnoreCase(String.valueOf(merged(entry, ENABLE_RANDOMIZED_WAIT, entries)));
            Object factor = merged(entry, RANDOMIZED_WAIT_FACTOR, entries);
            put(randomKey, randomized ? (factor != null ? factor : DEFAULT_RANDOMIZATION_FACTOR) : "0", origin);
        }
        own.forEach((setting, keys) -> keys.forEach(found -> {
            switch (setting) {
                case ENABLE_EXPONENTIAL_BACKOFF -> rename(found, multiplierKey,
                        "1 unless true; when true, exponential-backoff-multiplier or 1.5");
                case EXPONENTIAL_BACKOFF_MULTIPLIER -> rename(found, multiplierKey,
                        "read only with enable-exponential-backoff: true");
                case EXPONENTIAL_MAX_WAIT_DURATION, EXPONENTIAL_MAX_WAIT_DURATION_IN_OPEN_STATE -> rename(found, maxWaitKey,
                        "read only with enable-exponential-backoff: true");
                case ENABLE_RANDOMIZED_WAIT -> rename(found, randomKey,
                        "0 unless true; when true, randomized-wait-factor or 0.5");
                case RANDOMIZED_WAIT_FACTOR -> rename(found, randomKey, "read only with enable-randomized-wait: true");
                default -> {
                    // one of the entry's other settings, translated above
                }
            }
        }));
    }

    /**
     * A setting as Resilience4j resolves it: the entry's own, else its base config's ({@code base-config}, else
     * {@code configs.default}), and so on up.
     */
    private static Object merged(Entry entry, String setting, Map<Entry, Map<String, List<Found>>> entries) {
        Set<Entry> seen = new HashSet<>();
        Entry current = entry;
        while (current != null && seen.add(current)) {
            Map<String, List<Found>> settings = entries.getOrDefault(current, Map.of());
            List<Found> values = settings.get(setting);
            if (values != null) {
                return values.get(0).property().getValue();
            }
            List<Found> base = settings.get(BASE_CONFIG);
            if (base != null) {
                current = new Entry(current.kind(), "configs", String.valueOf(base.get(0).property().getValue()));
            } else if (!(current.section().equals("configs") && current.name().equals("default"))) {
                current = new Entry(current.kind(), "configs", "default");
            } else {
                current = null;
            }
        }
        return null;
    }

    private static String prefix(Entry entry) {
        String name = entry.name();
        String key = name.matches("[A-Za-z0-9_-]+") ? "." + name : "[" + name + "]";
        return "resilience." + entry.kind() + "." + entry.section() + key + ".";
    }

    private void put(String key, Object value, Found from) {
        properties.put(key, value);
        Origin origin = from.property().getOrigin();
        if (origin != null) {
            origins.put(key, origin);
        }
    }

    private void rename(Found found, String to, String note) {
        String from = original(found.name(), 0, Math.min(5, found.name().getNumberOfElements()));
        renamed.putIfAbsent(from, new Renamed(from, to, note, isSet(to)));
    }

    private void unmapped(Found found, int elements, String reason) {
        String from = original(found.name(), 0, Math.min(elements, found.name().getNumberOfElements()));
        unmapped.putIfAbsent(from, new Unmapped(from, reason));
    }

    /** @return whether a {@code resilience.*} property (or list) of this name is set in the environment */
    private boolean isSet(String key) {
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, '.');
        for (ConfigurationPropertySource source : sources) {
            if (source.getConfigurationProperty(name) != null
                    || source.containsDescendantOf(name) == ConfigurationPropertyState.PRESENT) {
                return true;
            }
        }
        return false;
    }

    /** @return elements {@code [from, to)} of the name as written, dot-separated, list indexes in brackets */
    private static String original(ConfigurationPropertyName name, int from, int to) {
        StringBuilder key = new StringBuilder();
        for (int i = from; i < to; i++) {
            String element = name.getElement(i, Form.ORIGINAL);
            if (name.isNumericIndex(i)) {
                key.append('[').append(element).append(']');
            } else {
                if (i > from || from > 0) {
                    key.append('.');
                }
                key.append(element);
            }
        }
        return key.toString();
    }

    /**
     * @param read whether the keys with a new name are read
     * @return the start-up warning: every key, with its new name or why it has none
     */
    String describe(boolean read) {
        StringBuilder message = new StringBuilder();
        int count = renamed.size() + unmapped.size();
        message.append("Found ").append(count).append(count == 1 ? " Resilience4j setting" : " Resilience4j settings")
                .append(" (resilience4j.*); this starter reads resilience.* properties. ");
        if (read) {
            message.append("As resilience.migration.read-resilience4j-properties=true, the ").append(renamed.size())
                    .append(" with a new name below are read under it until renamed (a resilience.* property set "
                            + "as well wins).");
        } else {
            message.append("Rename them as below, or set resilience.migration.read-resilience4j-properties=true to "
                    + "have the ").append(renamed.size()).append(" with a new name read until renamed.");
        }
        message.append(" See MIGRATION.md for what differs.");
        for (Renamed r : renamed.values()) {
            message.append(System.lineSeparator()).append("  ").append(r.from()).append(" -> ").append(r.to());
            if (r.note() != null) {
                message.append(" (").append(r.note()).append(')');
            }
            if (r.shadowed()) {
                message.append(" [").append(r.to()).append(" is set too: it wins]");
            }
        }
        for (Unmapped u : unmapped.values()) {
            message.append(System.lineSeparator()).append("  ").append(u.from()).append(": no equivalent, not read (")
                    .append(u.reason()).append(')');
        }
        return message.toString();
    }
}

package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.keyed.KeyedInstances;

import dev.resilience.Policy;
import dev.resilience.core.Registry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Creates the instances named under {@code resilience.<kind>.instances} once every singleton exists, and warns
 * about each one that nothing used by then: no annotation on a bean (the interceptor creates those instances when
 * it resolves the annotations) and no code. Such an instance is most often a typo, or a name an environment variable
 * lower-cased ({@code RESILIENCE_CIRCUITBREAKER_INSTANCES_MYSERVICE_...} binds to {@code myservice}, never to
 * {@code myService}), while the annotation it was meant for silently runs with the default config. When a used
 * instance's name differs from the configured one only in case, dashes or underscores, the warning names it as the
 * one probably meant. Names are not matched up automatically: two spellings of one name would otherwise behave
 * differently depending on where they were written.
 *
 * <p>A warning, not a failure: code may still create the instance later (a bean created lazily, a registry lookup
 * on first request).
 */
final class ConfiguredInstances implements SmartInitializingSingleton {

    private static final Log LOG = LogFactory.getLog(ConfiguredInstances.class);

    private final ResilienceRegistries registries;
    private final KeyedInstances keyed;

    ConfiguredInstances(ResilienceRegistries registries) {
        this(registries, null);
    }

    /**
     * @param registries the registries whose configured instances to create
     * @param keyed the keyed instances: a configured name that annotations use with a key is used (by its keyed
     *     instance) and no unkeyed instance of that name is created; {@code null}: none
     */
    ConfiguredInstances(ResilienceRegistries registries, KeyedInstances keyed) {
        this.registries = registries;
        this.keyed = keyed;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (Registry<? extends Policy, ?> registry : registries.all()) {
            for (String unused : unused(registry)) {
                if (LOG.isWarnEnabled() && !isKeyed(registry, unused)) {
                    LOG.warn(warning(registry, unused));
                }
            }
            for (String name : sorted(registry.instanceConfigs().keySet())) {
                if (!isKeyed(registry, name)) {
                    registry.get(name);
                }
            }
        }
    }

    private boolean isKeyed(Registry<? extends Policy, ?> registry, String name) {
        return keyed != null && keyed.isKeyed(registry.kind(), name);
    }

    /** @return the configured instances of the registry that do not exist yet, by name */
    static List<String> unused(Registry<? extends Policy, ?> registry) {
        List<String> unused = new ArrayList<>();
        for (String name : sorted(registry.instanceConfigs().keySet())) {
            if (registry.find(name).isEmpty()) {
                unused.add(name);
            }
        }
        return unused;
    }

    private static String warning(Registry<? extends Policy, ?> registry, String unused) {
        String prefix = "resilience." + registry.kind() + ".instances.";
        StringBuilder message = new StringBuilder()
                .append("'").append(prefix).append(unused).append(".*' configures ").append(registry.kind())
                .append(" instance '").append(unused).append("', but no annotation uses it and no code created it during start-up"
                        + " (annotated beans that are created lazily, after start-up, and Spring Cloud circuit breakers, which a"
                        + " CircuitBreakerFactory creates on first use, are not seen here).");
        List<String> meant = probablyMeant(registry, unused);
        if (meant.isEmpty()) {
            message.append(" Check the name against the annotations' 'name' (names are case-sensitive).");
        } else {
            message.append(" Probably meant: ").append(quoted(meant)).append(", which differs only in case, '-' or '_'")
                    .append(" and runs without instance properties. Use one spelling in both places; environment")
                    .append(" variables bind instance names in lower case, so configure a mixed-case name in a properties")
                    .append(" or YAML file, or use a lower-case name in the annotation.");
        }
        return message.toString();
    }

    /** Existing instances without properties of their own whose name is the configured one but for case, '-' and '_'. */
    private static List<String> probablyMeant(Registry<? extends Policy, ?> registry, String configured) {
        Set<String> configuredNames = registry.instanceConfigs().keySet();
        String relaxed = relaxed(configured);
        List<String> meant = new ArrayList<>();
        for (Policy instance : registry.all()) {
            String name = instance.name();
            if (!configuredNames.contains(name) && relaxed(name).equals(relaxed)) {
                meant.add(name);
            }
        }
        return meant;
    }

    /** By name: the registry keeps no order, and creation order decides e.g. which member of a budget group is reported. */
    private static List<String> sorted(Set<String> names) {
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);
        return sorted;
    }

    static String relaxed(String name) {
        return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static String quoted(List<String> names) {
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            out.append(out.isEmpty() ? "" : ", ").append('\'').append(name).append('\'');
        }
        return out.toString();
    }
}

package dev.resilience.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shared configs and named instances of one policy kind.
 *
 * @param <S> the kind's settings type
 */
public class KindProperties<S extends InstanceProperties> {

    /**
     * Shared configs by name; instances inherit one with {@code base-config}. The config named
     * {@code default} applies to every instance that names no other.
     */
    private Map<String, S> configs = new LinkedHashMap<>();

    /**
     * Instances by name, the {@code name} of an annotation. An instance with no entry here gets the
     * {@code default} config.
     */
    private Map<String, S> instances = new LinkedHashMap<>();

    public Map<String, S> getConfigs() {
        return configs;
    }

    public void setConfigs(Map<String, S> configs) {
        this.configs = configs;
    }

    public Map<String, S> getInstances() {
        return instances;
    }

    public void setInstances(Map<String, S> instances) {
        this.instances = instances;
    }
}

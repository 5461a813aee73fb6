package dev.resilience.spring.actuate;

import java.util.List;
import java.util.Map;

/**
 * Changes the settings of running instances from the actuator's write operations, in place (each instance keeps its
 * state: see the {@code reconfigure} method of each core policy). A change is a run-time value of the instance's
 * properties, {@code resilience.<kind>.instances.<name>.<property>}, above every other property source: it is validated
 * exactly as at start-up (the same messages, naming the full property), refused whole when invalid, and kept when the
 * application's properties are refreshed later, until {@link #restore} drops it or the application restarts.
 *
 * <p>Provided by the starter's auto-configuration; the endpoints offer their write operations only when it exists.
 */
public interface SettingsChanges {

    /**
     * Sets settings of one instance.
     *
     * @param kind the kind as in property names: {@code circuitbreaker}, {@code retry}, {@code bulkhead},
     *     {@code thread-pool-bulkhead}, {@code ratelimiter}, {@code timeout}
     * @param name the instance's name (it exists)
     * @param settings camelCase setting ({@code limitForPeriod}) to value, as text as in a properties file
     *     ({@code 50}, {@code 10s})
     * @return the changes made to running instances, one line each ({@code "ratelimiter 'x': limitForPeriod 10 -> 50"});
     *     empty if the values were already in force
     * @throws dev.resilience.spring.ResilienceConfigurationException if a value is invalid or cannot change at run
     *     time; nothing was changed
     */
    List<String> change(String kind, String name, Map<String, String> settings);

    /**
     * Drops every run-time value {@link #change} set for one instance: it goes back to its properties.
     *
     * @param kind the kind as in property names
     * @param name the instance's name
     * @return the changes made to running instances, as for {@link #change}
     * @throws dev.resilience.spring.ResilienceConfigurationException if the properties' settings cannot be applied at
     *     run time; nothing was changed
     */
    List<String> restore(String kind, String name);
}

package dev.resilience.spring.dashboard;

import dev.resilience.spring.ResilienceConfigurationException;

import java.time.Duration;

/**
 * Settings of the live page ({@code resilience.dashboard.*}). Bound as part of the starter's {@code resilience.*}
 * properties, and again by {@link DashboardAutoConfiguration}, which checks them ({@link #validate()}).
 */
public class DashboardProperties {

    /**
     * Whether the application serves the live page. It shows the application's internals (instance names, settings,
     * events) to whoever can reach it, and its buttons (shown only where the circuitbreakers endpoint's write access
     * is granted) let them open a breaker: serve it behind security or on a management network only.
     */
    private boolean enabled = false;

    /**
     * Path of the page: starts with '/', does not end with '/'. The page itself answers at this path followed by '/'
     * (the bare path redirects there), its data at '<path>/snapshot.json'.
     */
    private String path = "/resilience/dashboard";

    /** How often the page reads the figures and events again; at least 100ms. */
    private Duration refreshInterval = Duration.ofSeconds(1);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public Duration getRefreshInterval() {
        return refreshInterval;
    }

    public void setRefreshInterval(Duration refreshInterval) {
        this.refreshInterval = refreshInterval;
    }

    /**
     * Fails start-up on a path or interval the page cannot work with, naming the property.
     *
     * @throws ResilienceConfigurationException for a bad value
     */
    void validate() {
        if (path == null || !path.startsWith("/") || path.endsWith("/") || path.contains("*") || path.contains("{")
                || path.contains("//")) {
            throw ResilienceConfigurationException.invalidProperty("resilience.dashboard.path", path,
                    "a path that starts with '/', does not end with '/' and has no pattern characters, e.g. /resilience/dashboard");
        }
        if (refreshInterval == null || refreshInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw ResilienceConfigurationException.invalidProperty("resilience.dashboard.refresh-interval",
                    refreshInterval, "at least 100ms");
        }
    }
}

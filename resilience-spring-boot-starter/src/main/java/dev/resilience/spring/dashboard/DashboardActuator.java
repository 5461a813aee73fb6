package dev.resilience.spring.dashboard;

import dev.resilience.spring.dashboard.DashboardSnapshot.ActuatorLinks;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.ExposableEndpoint;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoint;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.core.env.Environment;

import java.util.ArrayList;
import java.util.List;

/**
 * What the page can reach of the actuator, read from the endpoints actuator maps over HTTP: an endpoint that is not
 * exposed ({@code management.endpoints.web.exposure.include}) is not mapped, and a write operation whose access is not
 * granted ({@code management.endpoint.<id>.access=unrestricted}) is left out of its endpoint. So the page's buttons
 * follow exactly what a {@code POST} would be allowed to do. With the actuator on a management port of its own, the
 * page (on the application's port) reaches none of it.
 *
 * <p>Once every bean exists, logs one WARN when the page is enabled but cannot reach the endpoints it uses.
 */
final class DashboardActuator implements SmartInitializingSingleton {

    private static final Log LOG = LogFactory.getLog(DashboardActuator.class);

    static final EndpointId EVENTS = EndpointId.of("resilienceevents");
    static final EndpointId CIRCUIT_BREAKERS = EndpointId.of("circuitbreakers");

    private final ObjectProvider<PathMappedEndpoints> endpoints;
    private final Environment environment;

    DashboardActuator(ObjectProvider<PathMappedEndpoints> endpoints, Environment environment) {
        this.endpoints = endpoints;
        this.environment = environment;
    }

    /**
     * @param contextPath the request's context path (and servlet path), put in front of every link
     * @return the links the page uses, null where it cannot reach an endpoint
     */
    ActuatorLinks links(String contextPath) {
        String events = path(EVENTS);
        String breakers = path(CIRCUIT_BREAKERS);
        return new ActuatorLinks(events == null ? null : contextPath + events,
                breakers == null ? null : contextPath + breakers, breakers != null && writable(CIRCUIT_BREAKERS));
    }

    private @Nullable String path(EndpointId id) {
        PathMappedEndpoints mapped = reachable();
        if (mapped == null || mapped.getEndpoint(id) == null) {
            return null;
        }
        return mapped.getPath(id);
    }

    private boolean writable(EndpointId id) {
        PathMappedEndpoints mapped = reachable();
        PathMappedEndpoint endpoint = mapped == null ? null : mapped.getEndpoint(id);
        return endpoint instanceof ExposableEndpoint<?> exposable
                && exposable.getOperations().stream().anyMatch(operation -> operation.getType() == OperationType.WRITE);
    }

    private @Nullable PathMappedEndpoints reachable() {
        return separatePort() ? null : endpoints.getIfAvailable();
    }

    private boolean separatePort() {
        return ManagementPortType.get(environment) == ManagementPortType.DIFFERENT;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (separatePort()) {
            LOG.warn("The resilience dashboard is enabled but actuator runs on its own port (management.server.port): "
                    + "the page, served on the application's port, shows no events and no breaker buttons");
            return;
        }
        List<String> missing = new ArrayList<>();
        for (EndpointId id : List.of(EVENTS, CIRCUIT_BREAKERS)) {
            if (path(id) == null) {
                missing.add(id.toString());
            }
        }
        if (!missing.isEmpty()) {
            LOG.warn("The resilience dashboard is enabled but the actuator endpoints " + missing + " are not exposed over "
                    + "HTTP, so the page shows no events and no breaker buttons: add them to "
                    + "management.endpoints.web.exposure.include");
        }
    }
}

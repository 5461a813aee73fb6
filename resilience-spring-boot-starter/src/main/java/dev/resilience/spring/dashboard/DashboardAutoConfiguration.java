package dev.resilience.spring.dashboard;

import dev.resilience.spring.ResilienceRegistries;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;

import java.net.URI;

/**
 * The live page, only with {@code resilience.dashboard.enabled=true} in a servlet or reactive web application with
 * actuator: the page and its script and style from {@code META-INF/resilience/dashboard/} at
 * {@code resilience.dashboard.path}, and the document it reads ({@link DashboardSnapshot}) beside it. Routes are
 * functional endpoints, so the configured path needs no controller scanning.
 */
@AutoConfiguration(afterName = {"dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration",
        "dev.resilience.spring.autoconfigure.ResilienceEndpointAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration"})
@ConditionalOnBooleanProperty("resilience.dashboard.enabled")
@ConditionalOnWebApplication
@ConditionalOnClass(PathMappedEndpoints.class)
@ConditionalOnBean(ResilienceRegistries.class)
public final class DashboardAutoConfiguration {

    /** Where the page, its script and its style are in the starter's jar. */
    static final String RESOURCES = "META-INF/resilience/dashboard/";

    private static final Resource INDEX = new ClassPathResource(RESOURCES + "index.html");

    @Bean
    DashboardProperties resilienceDashboardProperties(Environment environment) {
        DashboardProperties properties = Binder.get(environment)
                .bindOrCreate("resilience.dashboard", DashboardProperties.class);
        properties.validate();
        return properties;
    }

    @Bean
    DashboardActuator resilienceDashboardActuator(ObjectProvider<PathMappedEndpoints> endpoints, Environment environment) {
        return new DashboardActuator(endpoints, environment);
    }

    /** The page on Spring MVC. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(org.springframework.web.servlet.function.RouterFunction.class)
    static class ServletDashboard {

        @Bean
        org.springframework.web.servlet.function.RouterFunction<org.springframework.web.servlet.function.ServerResponse> resilienceDashboardRoutes(
                DashboardProperties properties, DashboardActuator actuator, ResilienceRegistries registries) {
            String path = properties.getPath();
            long refreshMillis = properties.getRefreshInterval().toMillis();
            return org.springframework.web.servlet.function.RouterFunctions.route()
                    .GET(path, request -> org.springframework.web.servlet.function.ServerResponse
                            .status(302).location(URI.create(request.requestPath().contextPath().value() + path + "/")).build())
                    .GET(path + "/", request -> org.springframework.web.servlet.function.ServerResponse.ok()
                            .contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noCache()).body(INDEX))
                    .GET(path + "/snapshot.json", request -> org.springframework.web.servlet.function.ServerResponse.ok()
                            .contentType(MediaType.APPLICATION_JSON).cacheControl(CacheControl.noStore())
                            .body(DashboardSnapshot.of(registries, refreshMillis,
                                    actuator.links(request.requestPath().contextPath().value()))))
                    .add(org.springframework.web.servlet.function.RouterFunctions.resources(path + "/**",
                            new ClassPathResource(RESOURCES)))
                    .build();
        }
    }

    /** The page on Spring WebFlux. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(org.springframework.web.reactive.function.server.RouterFunction.class)
    static class ReactiveDashboard {

        @Bean
        org.springframework.web.reactive.function.server.RouterFunction<org.springframework.web.reactive.function.server.ServerResponse> resilienceDashboardRoutes(
                DashboardProperties properties, DashboardActuator actuator, ResilienceRegistries registries) {
            String path = properties.getPath();
            long refreshMillis = properties.getRefreshInterval().toMillis();
            return org.springframework.web.reactive.function.server.RouterFunctions.route()
                    .GET(path, request -> org.springframework.web.reactive.function.server.ServerResponse
                            .status(302).location(URI.create(request.requestPath().contextPath().value() + path + "/")).build())
                    .GET(path + "/", request -> org.springframework.web.reactive.function.server.ServerResponse.ok()
                            .contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noCache()).bodyValue(INDEX))
                    .GET(path + "/snapshot.json", request -> org.springframework.web.reactive.function.server.ServerResponse.ok()
                            .contentType(MediaType.APPLICATION_JSON).cacheControl(CacheControl.noStore())
                            .bodyValue(DashboardSnapshot.of(registries, refreshMillis,
                                    actuator.links(request.requestPath().contextPath().value()))))
                    .add(org.springframework.web.reactive.function.server.RouterFunctions.resources(path + "/**",
                            new ClassPathResource(RESOURCES)))
                    .build();
        }
    }
}

package dev.resilience.spring.dashboard;

import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.autoconfigure.ResilienceEndpointAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the page exists, which settings it refuses, and what it says when it cannot reach the actuator. */
@ExtendWith(OutputCaptureExtension.class)
class DashboardAutoConfigurationTest {

    private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(ResilienceAutoConfiguration.class,
            EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class, ResilienceEndpointAutoConfiguration.class,
            DashboardAutoConfiguration.class);

    private static final String EXPOSED = "management.endpoints.web.exposure.include=circuitbreakers,resilienceevents";

    private final WebApplicationContextRunner servlet = new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS);

    @Test
    void theDashboardIsOffByDefault() {
        servlet.withPropertyValues(EXPOSED).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(DashboardActuator.class);
            assertThat(context).doesNotHaveBean("resilienceDashboardRoutes");
        });
    }

    @Test
    void aServletApplicationGetsTheServletRoutesWhenEnabled() {
        servlet.withPropertyValues(EXPOSED, "resilience.dashboard.enabled=true").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).getBean("resilienceDashboardRoutes")
                    .isInstanceOf(org.springframework.web.servlet.function.RouterFunction.class);
        });
    }

    @Test
    void aReactiveApplicationGetsTheReactiveRoutesWhenEnabled() {
        new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
                .withPropertyValues(EXPOSED, "resilience.dashboard.enabled=true").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).getBean("resilienceDashboardRoutes")
                            .isInstanceOf(org.springframework.web.reactive.function.server.RouterFunction.class);
                });
    }

    @Test
    void anApplicationWithoutAWebServerIsUnaffected() {
        new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
                .withPropertyValues("resilience.dashboard.enabled=true").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(DashboardActuator.class);
                    assertThat(context).doesNotHaveBean("resilienceDashboardRoutes");
                });
    }

    @Test
    void anApplicationWithoutActuatorIsUnaffected() {
        servlet.withClassLoader(new FilteredClassLoader(PathMappedEndpoints.class))
                .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class, DashboardAutoConfiguration.class))
                .withPropertyValues("resilience.dashboard.enabled=true").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(DashboardActuator.class);
                });
    }

    @Test
    void aPathWithoutALeadingSlashFailsStartUpNamingTheProperty() {
        servlet.withPropertyValues("resilience.dashboard.enabled=true", "resilience.dashboard.path=ops/dashboard")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("resilience.dashboard.path").hasMessageContaining("ops/dashboard")
                        .hasMessageContaining("starts with '/'"));
    }

    @Test
    void aPathEndingInASlashFailsStartUp() {
        servlet.withPropertyValues("resilience.dashboard.enabled=true", "resilience.dashboard.path=/ops/")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("resilience.dashboard.path").hasMessageContaining("does not end with '/'"));
    }

    @Test
    void aRefreshIntervalUnder100MillisecondsFailsStartUpNamingTheProperty() {
        servlet.withPropertyValues("resilience.dashboard.enabled=true", "resilience.dashboard.refresh-interval=10ms")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("resilience.dashboard.refresh-interval").hasMessageContaining("at least 100ms"));
    }

    @Test
    void endpointsThePageNeedsButThatAreNotExposedAreNamedInOneWarning(CapturedOutput output) {
        servlet.withPropertyValues("resilience.dashboard.enabled=true",
                "management.endpoints.web.exposure.include=circuitbreakers").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).containsOnlyOnce("management.endpoints.web.exposure.include")
                    .contains("WARN").contains("[resilienceevents]");
            assertThat(context.getBean(DashboardActuator.class).links("").events()).isNull();
            assertThat(context.getBean(DashboardActuator.class).links("").circuitBreakers())
                    .isEqualTo("/actuator/circuitbreakers");
        });
    }

    @Test
    void noWarningWhenTheEndpointsAreExposed(CapturedOutput output) {
        servlet.withPropertyValues("resilience.dashboard.enabled=true", EXPOSED).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).doesNotContain("resilience dashboard");
        });
    }

    @Test
    void writesFollowTheBreakerEndpointsAccess() {
        servlet.withPropertyValues("resilience.dashboard.enabled=true", EXPOSED).run(context ->
                assertThat(context.getBean(DashboardActuator.class).links("/app").writes()).isFalse());
        servlet.withPropertyValues("resilience.dashboard.enabled=true", EXPOSED,
                "management.endpoint.circuitbreakers.access=UNRESTRICTED").run(context -> {
            assertThat(context.getBean(DashboardActuator.class).links("/app").writes()).isTrue();
            assertThat(context.getBean(DashboardActuator.class).links("/app").circuitBreakers())
                    .isEqualTo("/app/actuator/circuitbreakers");
        });
    }

    @Test
    void anActuatorOnItsOwnPortIsOutOfThePagesReachAndSaidSo(CapturedOutput output) {
        servlet.withPropertyValues("resilience.dashboard.enabled=true", EXPOSED,
                "management.endpoint.circuitbreakers.access=UNRESTRICTED", "management.server.port=9999").run(context -> {
            assertThat(context).hasNotFailed();
            DashboardSnapshot.ActuatorLinks links = context.getBean(DashboardActuator.class).links("");
            assertThat(links.events()).isNull();
            assertThat(links.circuitBreakers()).isNull();
            assertThat(links.writes()).isFalse();
            assertThat(output).contains("WARN").contains("management.server.port");
        });
    }
}

package dev.resilience.spring.actuate;

import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.ResilienceConfigurationException;
import dev.resilience.spring.autoconfigure.ResilienceEndpointAutoConfiguration;
import dev.resilience.spring.autoconfigure.ResilienceHealthAutoConfiguration;
import dev.resilience.spring.autoconfigure.ResilienceMetricsAutoConfiguration;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.autoconfigure.ResilienceWebAutoConfiguration;
import dev.resilience.spring.web.ResilienceProblemDetailsAdvice;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.DispatcherServlet;

import static org.assertj.core.api.Assertions.assertThat;

class ObservabilityAutoConfigurationTest {

    private static final AutoConfigurations ALL = AutoConfigurations.of(ResilienceAutoConfiguration.class,
            ResilienceEndpointAutoConfiguration.class, ResilienceHealthAutoConfiguration.class,
            ResilienceMetricsAutoConfiguration.class, ResilienceWebAutoConfiguration.class);

    private static final Class<?>[] OUR_BEANS = {CircuitBreakersEndpoint.class, RetriesEndpoint.class,
            BulkheadsEndpoint.class, RateLimitersEndpoint.class, ResilienceEventsEndpoint.class,
            ResilienceEventsBuffer.class, CircuitBreakersHealthIndicator.class, ResilienceMeterBinder.class,
            ResilienceProblemDetailsAdvice.class};

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(ALL);
    private final WebApplicationContextRunner webRunner = new WebApplicationContextRunner().withConfiguration(ALL);

    @Test
    void exposedEndpointsAreRegisteredWithTheEventsBuffer() {
        webRunner.withPropertyValues("management.endpoints.web.exposure.include=*").run(context -> {
            assertThat(context).hasSingleBean(CircuitBreakersEndpoint.class).hasSingleBean(RetriesEndpoint.class)
                    .hasSingleBean(BulkheadsEndpoint.class).hasSingleBean(RateLimitersEndpoint.class)
                    .hasSingleBean(ResilienceEventsEndpoint.class).hasSingleBean(ResilienceEventsBuffer.class);
            assertThat(context.getBean(ResilienceEventsBuffer.class).capacityPerInstance()).isEqualTo(100);
        });
    }

    @Test
    void unexposedEndpointsAndTheEventsBufferAreAbsent() {
        webRunner.run(context -> assertThat(context).doesNotHaveBean(CircuitBreakersEndpoint.class)
                .doesNotHaveBean(ResilienceEventsEndpoint.class).doesNotHaveBean(ResilienceEventsBuffer.class));
    }

    @Test
    void withoutActuatorNoEndpointIsRegisteredAndNothingBreaks() {
        webRunner.withClassLoader(new FilteredClassLoader(Endpoint.class))
                .withPropertyValues("management.endpoints.web.exposure.include=*")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ResilienceRegistries.class)
                        .doesNotHaveBean(CircuitBreakersEndpoint.class).doesNotHaveBean(ResilienceEventsBuffer.class));
    }

    @Test
    void withNoOptionalLibraryOnlyTheCoreBeansExist() {
        webRunner.withClassLoader(new FilteredClassLoader(Endpoint.class, HealthIndicator.class, MeterRegistry.class,
                        DispatcherServlet.class))
                .withPropertyValues("management.endpoints.web.exposure.include=*")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(ResilienceRegistries.class);
                    for (Class<?> type : OUR_BEANS) {
                        assertThat(context).doesNotHaveBean(type);
                    }
                });
    }

    @Test
    void theHealthIndicatorIsRegisteredUnderTheCircuitBreakersName() {
        runner.run(context -> assertThat(context).hasBean("circuitBreakersHealthIndicator")
                .hasSingleBean(CircuitBreakersHealthIndicator.class));
    }

    @Test
    void theHealthIndicatorCanBeDisabled() {
        runner.withPropertyValues("management.health.circuitbreakers.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(CircuitBreakersHealthIndicator.class));
    }

    @Test
    void withoutSpringBootHealthNoHealthIndicator() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CircuitBreakersHealthIndicator.class));
    }

    @Test
    void allowHealthIndicatorToFailIsInheritedFromTheDefaultConfig() {
        runner.withPropertyValues("resilience.circuitbreaker.configs.default.allow-health-indicator-to-fail=true",
                        "resilience.circuitbreaker.instances.relaxed.allow-health-indicator-to-fail=false")
                .run(context -> {
                    ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
                    CircuitBreakersHealthIndicator indicator = context.getBean(CircuitBreakersHealthIndicator.class);
                    registries.circuitBreakers().get("relaxed").transitionToOpenState();
                    assertThat(indicator.health(false).getStatus()).isEqualTo(CircuitBreakersHealthIndicator.CIRCUIT_OPEN);
                    registries.circuitBreakers().get("unnamed").transitionToOpenState();
                    assertThat(indicator.health(false).getStatus()).isEqualTo(Status.DOWN);
                });
    }

    @Test
    void allowHealthIndicatorToFailFollowsTheBaseConfigOfConfigsDefault() {
        runner.withPropertyValues("resilience.circuitbreaker.configs.strict.allow-health-indicator-to-fail=true",
                        "resilience.circuitbreaker.configs.default.base-config=strict",
                        "resilience.circuitbreaker.instances.configured.failure-rate-threshold=20")
                .run(context -> {
                    ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
                    CircuitBreakersHealthIndicator indicator = context.getBean(CircuitBreakersHealthIndicator.class);
                    registries.circuitBreakers().get("configured").transitionToOpenState();
                    assertThat(indicator.health(false).getStatus()).isEqualTo(Status.DOWN);
                });
    }

    @Test
    void anEventsBufferSizeBelowOneFailsStartUpEvenWhenTheEventsEndpointIsNotExposed() {
        runner.withPropertyValues("resilience.events.buffer-size=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(ResilienceConfigurationException.class)
                    .hasMessageContaining("resilience.events.buffer-size").hasMessageContaining("at least 1");
        });
    }

    @Test
    void theMeterBinderIsRegisteredWithMicrometer() {
        runner.run(context -> assertThat(context).hasSingleBean(ResilienceMeterBinder.class));
    }

    @Test
    void withoutMicrometerNoMeterBinder() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ResilienceMeterBinder.class));
    }

    @Test
    void problemDetailsAreOnInAServletWebApplication() {
        webRunner.run(context -> assertThat(context.getBeansOfType(ResilienceProblemDetailsAdvice.class)).hasSize(5));
    }

    @Test
    void problemDetailsCanBeTurnedOff() {
        webRunner.withPropertyValues("resilience.web.problem-details.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ResilienceProblemDetailsAdvice.class));
    }

    @Test
    void problemDetailsNeedSpringMvc() {
        webRunner.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ResilienceProblemDetailsAdvice.class));
    }

    @Test
    void problemDetailsNeedAWebApplication() {
        runner.run(context -> assertThat(context).doesNotHaveBean(ResilienceProblemDetailsAdvice.class));
    }

    @Test
    void anEventsBufferSizeBelowOneFailsStartUpNamingTheProperty() {
        webRunner.withPropertyValues("management.endpoints.web.exposure.include=resilienceevents", "resilience.events.buffer-size=0")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .isInstanceOf(ResilienceConfigurationException.class)
                        .hasMessage("Invalid value '0' for property 'resilience.events.buffer-size': it must be at least 1."));
    }
}

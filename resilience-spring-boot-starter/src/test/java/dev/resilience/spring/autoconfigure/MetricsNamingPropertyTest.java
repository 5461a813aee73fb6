package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.actuate.MeterNaming;
import dev.resilience.spring.actuate.ResilienceMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code resilience.metrics.naming} chooses whose meter names the binder registers. */
class MetricsNamingPropertyTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class, ResilienceMetricsAutoConfiguration.class))
            .withPropertyValues("resilience.circuitbreaker.instances.inventory.sliding-window-size=10");

    private static MeterRegistry bound(ResilienceMeterBinder binder) {
        MeterRegistry meters = new SimpleMeterRegistry();
        binder.bindTo(meters);
        return meters;
    }

    @Test
    void ourNamesByDefault() {
        runner.run(context -> {
            ResilienceMeterBinder binder = context.getBean(ResilienceMeterBinder.class);
            assertThat(binder.naming()).isEqualTo(MeterNaming.RESILIENCE);
            assertThat(bound(binder).find("resilience.circuitbreaker.state").tag("name", "inventory").gauges()).hasSize(5);
        });
    }

    @Test
    void resilience4jNamesWhenAskedForInLowerCase() {
        runner.withPropertyValues("resilience.metrics.naming=resilience4j").run(context -> {
            ResilienceMeterBinder binder = context.getBean(ResilienceMeterBinder.class);
            assertThat(binder.naming()).isEqualTo(MeterNaming.RESILIENCE4J);
            MeterRegistry meters = bound(binder);
            assertThat(meters.find("resilience4j.circuitbreaker.state").tag("name", "inventory").gauges()).hasSize(6);
            assertThat(meters.find("resilience.circuitbreaker.state").gauges()).isEmpty();
        });
    }

    @Test
    void anUnknownNamingFailsStartUpNamingTheProperty() {
        // Spring Boot's bind failure analysis then lists the allowed values (RESILIENCE, RESILIENCE4J).
        runner.withPropertyValues("resilience.metrics.naming=prometheus").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("prometheus");
            BindException bind = findBindException(context.getStartupFailure());
            assertThat(bind.getName()).hasToString("resilience.metrics.naming");
            assertThat(bind.getTarget().getType().resolve()).isEqualTo(MeterNaming.class);
        });
    }

    private static BindException findBindException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException bind) {
                return bind;
            }
        }
        throw new AssertionError("no BindException in " + failure);
    }
}

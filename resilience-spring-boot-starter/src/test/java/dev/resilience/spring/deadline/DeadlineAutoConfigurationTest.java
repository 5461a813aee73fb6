package dev.resilience.spring.deadline;

import dev.resilience.spring.autoconfigure.DeadlineAutoConfiguration;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlineAutoConfigurationTest {

    private final AutoConfigurations configurations =
            AutoConfigurations.of(ResilienceAutoConfiguration.class, DeadlineAutoConfiguration.class);
    private final WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(configurations);
    private final ApplicationContextRunner plain = new ApplicationContextRunner().withConfiguration(configurations);

    @Test
    void aServletApplicationGetsTheFilterAndTheRestClientCustomizer() {
        web.run(context -> {
            assertThat(context).hasSingleBean(DeadlineServletFilter.class);
            assertThat(context).hasSingleBean(DeadlineClientInterceptor.class);
            assertThat(context).hasBean("resilienceDeadlineRestClientCustomizer");
            assertThat(context.getBean(DeadlineHeader.class).name()).isEqualTo("Resilience-Deadline-Remaining-Ms");
        });
    }

    @Test
    void anApplicationThatIsNotAServletWebApplicationGetsNoFilter() {
        plain.run(context -> {
            assertThat(context).doesNotHaveBean(DeadlineServletFilter.class);
            assertThat(context).hasSingleBean(DeadlineClientInterceptor.class);
        });
    }

    @Test
    void withoutSpringBootsRestClientSupportThereIsNoClientSide() {
        web.withClassLoader(new FilteredClassLoader(RestClientCustomizer.class)).run(context -> {
            assertThat(context).doesNotHaveBean(DeadlineClientInterceptor.class);
            assertThat(context).hasSingleBean(DeadlineServletFilter.class);
        });
    }

    @Test
    void disabledTurnsBothSidesOff() {
        web.withPropertyValues("resilience.deadline.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(DeadlineServletFilter.class);
            assertThat(context).doesNotHaveBean(DeadlineClientInterceptor.class);
            assertThat(context).doesNotHaveBean(DeadlineHeader.class);
        });
    }

    @Test
    void theHeaderNameIsConfigurable() {
        web.withPropertyValues("resilience.deadline.header-name=X-Time-Left-Ms")
                .run(context -> assertThat(context.getBean(DeadlineHeader.class).name()).isEqualTo("X-Time-Left-Ms"));
    }

    @Test
    void aBlankHeaderNameFailsStartUpNamingTheProperty() {
        web.withPropertyValues("resilience.deadline.header-name= ").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("resilience.deadline.header-name");
        });
    }
}

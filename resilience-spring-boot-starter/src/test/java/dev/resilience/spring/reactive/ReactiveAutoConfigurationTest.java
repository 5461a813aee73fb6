package dev.resilience.spring.reactive;

import dev.resilience.spring.autoconfigure.DeadlineAutoConfiguration;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.autoconfigure.ResilienceWebAutoConfiguration;
import dev.resilience.spring.web.ResilienceProblemDetailsAdvice;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Which reactive beans exist in which application, and the properties that turn them off. */
class ReactiveAutoConfigurationTest {

    private static final AutoConfigurations RESILIENCE = AutoConfigurations.of(ResilienceAutoConfiguration.class,
            DeadlineAutoConfiguration.class, ResilienceWebAutoConfiguration.class, ResilienceReactiveAutoConfiguration.class);

    private final ReactiveWebApplicationContextRunner reactiveWeb = new ReactiveWebApplicationContextRunner()
            .withConfiguration(RESILIENCE);

    @Test
    void aReactiveWebApplicationGetsProblemDetailsTheDeadlineFilterAndTheWebClientFilter() {
        reactiveWeb.run(context -> {
            assertThat(context).getBeans(ResilienceProblemDetailsAdvice.class).hasSize(5);
            assertThat(context).hasSingleBean(DeadlineWebFilter.class);
            assertThat(context).hasSingleBean(DeadlineExchangeFilterFunction.class);
        });
    }

    @Test
    void problemDetailsCanBeTurnedOff() {
        reactiveWeb.withPropertyValues("resilience.web.problem-details.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(ResilienceProblemDetailsAdvice.class);
            assertThat(context).hasSingleBean(DeadlineWebFilter.class);
        });
    }

    @Test
    void deadlinesCanBeTurnedOff() {
        reactiveWeb.withPropertyValues("resilience.deadline.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(DeadlineWebFilter.class);
            assertThat(context).doesNotHaveBean(DeadlineExchangeFilterFunction.class);
            assertThat(context).getBeans(ResilienceProblemDetailsAdvice.class).hasSize(5);
        });
    }

    @Test
    void aServletApplicationGetsNoWebFluxBeansButItsWebClientsSendTheDeadline() {
        new WebApplicationContextRunner().withConfiguration(RESILIENCE).run(context -> {
            assertThat(context).doesNotHaveBean(DeadlineWebFilter.class);
            assertThat(context).hasSingleBean(DeadlineExchangeFilterFunction.class);
        });
    }

    @Test
    void bootsWebClientBuilderCarriesTheDeadlineFilter() {
        new ApplicationContextRunner()
                .withConfiguration(RESILIENCE)
                .withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).getBeans(WebClientCustomizer.class).isNotEmpty();
                    DeadlineExchangeFilterFunction filter = context.getBean(DeadlineExchangeFilterFunction.class);
                    context.getBean(WebClient.Builder.class).filters(filters -> assertThat(filters).contains(filter));
                });
    }

    @Test
    void withoutWebClientOnTheClassPathNoClientFilterIsConfigured() {
        reactiveWeb.withClassLoader(new FilteredClassLoader(WebClient.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(DeadlineExchangeFilterFunction.class);
        });
    }
}

package dev.resilience.spring.reactive;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.ResilienceConfigurationException;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.interceptor.ReactiveMethodSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** What start-up decides for reactive methods: misuses fail it, and nothing reactive is left unprotected silently. */
class ReactiveStartupTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class, ResilienceReactiveAutoConfiguration.class));

    @Test
    void aThreadPoolBulkheadOnAMethodReturningMonoFailsStartUpNamingTheMethod() {
        runner.withBean(ReactiveServices.ThreadPoolOnMono.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(ResilienceConfigurationException.class)
                    .hasMessageContaining(ReactiveServices.ThreadPoolOnMono.class.getName() + ".pooled()")
                    .hasMessageContaining("type = THREADPOOL")
                    .hasMessageContaining("reactive type reactor.core.publisher.Mono");
        });
    }

    @Test
    void aFallbackReturningAPlainValueForAMonoMethodFailsStartUp() {
        runner.withBean(ReactiveServices.PlainValueFallback.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(ResilienceConfigurationException.class)
                    .hasMessageContaining(ReactiveServices.PlainValueFallback.class.getName() + ".guarded()")
                    .hasMessageContaining("'plain'")
                    .hasMessageContaining("Mono<java.lang.String>");
        });
    }

    @Test
    void withoutReactorOnTheClassPathAMethodReturningAPublisherFailsStartUpNamingTheMethod() {
        // Without per-subscription protection the policies would guard only the building of the publisher: never silently.
        runner.withClassLoader(new FilteredClassLoader("reactor.core"))
                .withBean(PublicReactiveService.class)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .isInstanceOf(ResilienceConfigurationException.class)
                            .hasMessageContaining(PublicReactiveService.class.getName() + ".publisher()")
                            .hasMessageContaining("org.reactivestreams.Publisher<java.lang.String>")
                            .hasMessageContaining("no reactive support is configured")
                            .isInstanceOfSatisfying(ResilienceConfigurationException.class,
                                    e -> assertThat(e.action()).contains("dev.resilience:resilience-reactor"));
                });
    }

    @Test
    void withoutReactorOnTheClassPathNoReactiveSupportIsConfigured() {
        runner.withClassLoader(new FilteredClassLoader("reactor.core"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(ReactiveMethodSupport.class);
                    assertThat(context).doesNotHaveBean(ResilienceReactiveAutoConfiguration.class);
                });
    }

    @Test
    void aPublisherTypeTheAdaptersCannotGiveBackFailsStartUpNamingTheMethod() {
        // The registry knows a ParallelFlux only as a Publisher: the protected Flux is no ParallelFlux.
        runner.withBean(ReactiveServices.ParallelFluxMethod.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(ResilienceConfigurationException.class)
                    .hasMessageContaining(ReactiveServices.ParallelFluxMethod.class.getName() + ".parallel()")
                    .hasMessageContaining("reactor.core.publisher.ParallelFlux")
                    .hasMessageContaining("only as org.reactivestreams.Publisher")
                    .hasMessageContaining("declare the method as returning Flux (or Publisher)");
        });
    }

    @Test
    void withReactorTheSameMethodIsProtectedPerSubscriptionInstead() {
        runner.withBean(PublicReactiveService.class).run(context -> {
            assertThat(context).hasSingleBean(ReactiveMethodSupport.class);
            assertThat(context.getBean(PublicReactiveService.class).publisher()).isNotNull();
            CircuitBreaker breaker = context.getBean(ResilienceRegistries.class).circuitBreakers().get("breaker");
            assertThat(breaker.metrics().successfulCalls()).isZero();
        });
    }
}

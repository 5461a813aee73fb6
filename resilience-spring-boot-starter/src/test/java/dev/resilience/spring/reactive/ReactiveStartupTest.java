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

/** What start-up decides for reactive methods: misuses fail it, and without Reactor nothing changes. */
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
    void withoutReactorOnTheClassPathNoReactiveSupportExistsAndMethodsKeepTheSynchronousPath() {
        runner.withClassLoader(new FilteredClassLoader("reactor.core"))
                .withBean(PublicReactiveService.class)
                .withPropertyValues("resilience.circuitbreaker.instances.breaker.minimum-number-of-calls=1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(ReactiveMethodSupport.class);
                    assertThat(context).doesNotHaveBean(ResilienceReactiveAutoConfiguration.class);
                    assertThat(context.getBean(PublicReactiveService.class).publisher()).isNotNull();
                    // As before: the call returning the publisher is the protected call, and it succeeded.
                    CircuitBreaker breaker = context.getBean(ResilienceRegistries.class).circuitBreakers().get("breaker");
                    assertThat(breaker.metrics().successfulCalls()).isEqualTo(1);
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

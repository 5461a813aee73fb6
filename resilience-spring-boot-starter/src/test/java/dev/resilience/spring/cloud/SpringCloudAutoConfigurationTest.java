package dev.resilience.spring.cloud;

import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.ConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import reactor.core.publisher.Mono;

import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** When the Spring Cloud factories exist, and when they stay away. */
class SpringCloudAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class, ResilienceSpringCloudAutoConfiguration.class));

    @Test
    void withSpringCloudCommonsAndReactorBothFactoriesExist() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ResilienceCircuitBreakerFactory.class);
            assertThat(context).hasSingleBean(ResilienceReactiveCircuitBreakerFactory.class);
        });
    }

    @Test
    void anApplicationWithoutSpringCloudIsUnaffected() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.cloud")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(ResilienceCircuitBreakerFactory.class);
            assertThat(context).doesNotHaveBean(ResilienceReactiveCircuitBreakerFactory.class);
        });
    }

    @Test
    void withoutReactorOnlyTheBlockingFactoryExists() {
        runner.withClassLoader(new FilteredClassLoader(Mono.class)).run(context -> {
            assertThat(context).hasSingleBean(ResilienceCircuitBreakerFactory.class);
            assertThat(context).doesNotHaveBean(ReactiveCircuitBreakerFactory.class);
        });
    }

    @Test
    void theFactoriesCanBeSwitchedOff() {
        runner.withPropertyValues("spring.cloud.circuitbreaker.resilience.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(CircuitBreakerFactory.class);
            assertThat(context).doesNotHaveBean(ReactiveCircuitBreakerFactory.class);
        });
    }

    @Test
    void anApplicationsOwnFactoryWins() {
        runner.withBean(CircuitBreakerFactory.class, OwnFactory::new).run(context -> {
            assertThat(context).hasSingleBean(CircuitBreakerFactory.class);
            assertThat(context.getBean(CircuitBreakerFactory.class)).isInstanceOf(OwnFactory.class);
        });
    }

    @Test
    void aBadCompositionValueFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("spring.cloud.circuitbreaker.resilience.timeout=sometimes").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("spring.cloud.circuitbreaker.resilience.timeout");
        });
    }

    static final class OwnFactory extends CircuitBreakerFactory<Object, ConfigBuilder<Object>> {
        @Override
        public CircuitBreaker create(String id) {
            return new CircuitBreaker() {
                @Override
                public <T> T run(java.util.function.Supplier<T> toRun, Function<Throwable, T> fallback) {
                    return toRun.get();
                }
            };
        }

        @Override
        protected ConfigBuilder<Object> configBuilder(String id) {
            return Object::new;
        }

        @Override
        public void configureDefault(Function<String, Object> defaultConfiguration) {
        }
    }
}

package dev.resilience.spring.interceptor;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.ResilienceRegistries;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A class-level annotation protects the class's business methods, never its overrides of Object's methods. */
class ClassLevelObjectMethodsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withBean(Client.class);

    @CircuitBreaker(name = "client")
    static class Client {
        public String fetch() {
            return "fetched";
        }

        @Override
        public String toString() {
            return "Client";
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Client;
        }

        @Override
        public int hashCode() {
            return 7;
        }
    }

    static class MethodLevelToString {
        @Override
        @CircuitBreaker(name = "described")
        public String toString() {
            return "described";
        }
    }

    @Test
    void objectMethodsOverriddenInTheClassStayUnprotectedWhileTheBreakerIsOpen() {
        runner.run(context -> {
            context.getBean(ResilienceRegistries.class).circuitBreakers().get("client").transitionToForcedOpenState();
            Client client = context.getBean(Client.class);
            assertThatThrownBy(client::fetch).isInstanceOf(CallNotPermittedException.class);
            assertThat(client.toString()).isEqualTo("Client");
            // A class proxy answers equals and hashCode itself; whatever answers, the breaker must not.
            assertThatCode(() -> {
                client.hashCode();
                client.equals(client);
            }).doesNotThrowAnyException();
        });
    }

    @Test
    void aMethodLevelAnnotationOnAnObjectMethodIsHonoured() {
        runner.withBean(MethodLevelToString.class).run(context -> {
            context.getBean(ResilienceRegistries.class).circuitBreakers().get("described").transitionToForcedOpenState();
            MethodLevelToString bean = context.getBean(MethodLevelToString.class);
            assertThatThrownBy(bean::toString).isInstanceOf(CallNotPermittedException.class);
        });
    }
}

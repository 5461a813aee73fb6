package dev.resilience.spring.cloud;

import dev.resilience.Policy;
import dev.resilience.ShutdownInProgressException;
import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.core.ShutdownGate;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.reactive.ReactorMethodSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.NoFallbackAvailableException;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Cloud's {@code ReactiveCircuitBreakerFactory} protects each subscription with the starter's own instances,
 * through the Reactor operators.
 */
class ResilienceReactiveCircuitBreakerFactoryTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class, ResilienceSpringCloudAutoConfiguration.class))
            .withPropertyValues(
                    "resilience.circuitbreaker.instances.inventory.sliding-window-size=2",
                    "resilience.circuitbreaker.instances.inventory.minimum-number-of-calls=2",
                    "resilience.circuitbreaker.instances.inventory.failure-rate-threshold=50");

    @Test
    void createReturnsABreakerOnTheSameInstanceAsTheBlockingFactory() {
        runner.run(context -> {
            ResilienceReactiveCloudCircuitBreaker reactive = (ResilienceReactiveCloudCircuitBreaker) context
                    .getBean(ReactiveCircuitBreakerFactory.class).create("inventory");
            ResilienceCloudCircuitBreaker blocking = (ResilienceCloudCircuitBreaker) context.getBean(CircuitBreakerFactory.class).create("inventory");
            assertThat(reactive.circuitBreaker()).isSameAs(blocking.circuitBreaker())
                    .isSameAs(context.getBean(ResilienceRegistries.class).circuitBreakers().get("inventory"));
        });
    }

    @Test
    void nothingRunsThroughTheBreakerUntilSubscribed() {
        runner.run(context -> {
            ReactiveCircuitBreaker breaker = context.getBean(ReactiveCircuitBreakerFactory.class).create("inventory");
            Mono<String> assembled = breaker.run(Mono.just("ok"));
            ResilienceRegistries registries = context.getBean(ResilienceRegistries.class);
            assertThat(registries.circuitBreakers().get("inventory").metrics().bufferedCalls()).isZero();
            StepVerifier.create(assembled).expectNext("ok").verifyComplete();
            assertThat(registries.circuitBreakers().get("inventory").metrics().bufferedCalls()).isEqualTo(1);
        });
    }

    @Test
    void monoFallbackReceivesCallNotPermittedExceptionOnceTheBreakerIsOpen() {
        runner.run(context -> {
            ReactiveCircuitBreaker breaker = context.getBean(ReactiveCircuitBreakerFactory.class).create("inventory");
            AtomicInteger subscriptions = new AtomicInteger();
            Mono<String> failing = Mono.defer(() -> {
                subscriptions.incrementAndGet();
                return Mono.error(new IllegalStateException("down"));
            });
            for (int i = 0; i < 2; i++) {
                StepVerifier.create(breaker.run(failing, error -> Mono.just("fallback"))).expectNext("fallback").verifyComplete();
            }

            StepVerifier.create(breaker.run(failing, error -> Mono.just(error.getClass().getSimpleName())))
                    .expectNext("CallNotPermittedException").verifyComplete();
            assertThat(subscriptions).hasValue(2);
        });
    }

    @Test
    void fluxFallbackReceivesCallNotPermittedExceptionOnceTheBreakerIsOpen() {
        runner.run(context -> {
            ReactiveCircuitBreaker breaker = context.getBean(ReactiveCircuitBreakerFactory.class).create("inventory");
            Flux<String> failing = Flux.error(new IllegalStateException("down"));
            for (int i = 0; i < 2; i++) {
                StepVerifier.create(breaker.run(failing, error -> Flux.just("fallback"))).expectNext("fallback").verifyComplete();
            }
            StepVerifier.create(breaker.run(Flux.just("a", "b"), error -> Flux.just(error.getClass().getSimpleName())))
                    .expectNext("CallNotPermittedException").verifyComplete();
        });
    }

    @Test
    void withoutFallbackTheErrorIsNoFallbackAvailableWithTheFailureAsCause() {
        runner.run(context -> {
            IllegalStateException down = new IllegalStateException("down");
            StepVerifier.create(context.getBean(ReactiveCircuitBreakerFactory.class).create("inventory").run(Mono.error(down)))
                    .verifyErrorSatisfies(error -> assertThat(error).isInstanceOf(NoFallbackAvailableException.class).hasCause(down));
        });
    }

    @Test
    void aTimeoutConfiguredForTheIdBoundsTheSubscription() {
        runner.withPropertyValues("resilience.timeout.instances.inventory.timeout-duration=50ms").run(context -> {
            ResilienceReactiveCloudCircuitBreaker breaker = (ResilienceReactiveCloudCircuitBreaker) context
                    .getBean(ReactiveCircuitBreakerFactory.class).create("inventory");
            assertThat(breaker.policies().stream().map(Policy::kind)).containsExactly("circuitbreaker", "timeout");
            StepVerifier.create(breaker.run(Mono.never(), error -> Mono.just(error.getClass().getSimpleName())))
                    .expectNext("TimeoutExceededException").expectComplete().verify(Duration.ofSeconds(10));
        });
    }

    @Test
    void onceShutdownBeganASubscriptionEndsWithShutdownInProgressWithoutFallback() {
        runner.run(context -> {
            ShutdownGate gate = context.getBean(ShutdownGate.class);
            ReactiveCircuitBreaker breaker = context.getBean(ReactiveCircuitBreakerFactory.class).create("inventory");
            Mono<String> assembled = breaker.run(Mono.just("live"), error -> Mono.just("fallback"));
            gate.close();
            StepVerifier.create(assembled).verifyError(ShutdownInProgressException.class);
            assertThat(gate.inFlight()).isZero();
        });
    }

    @Test
    void aSubscriptionMadeInsideAnAdmittedOneStillRunsOnceShutdownBegan() {
        runner.run(context -> {
            ShutdownGate gate = context.getBean(ShutdownGate.class);
            ReactiveCircuitBreakerFactory<?, ?> factory = context.getBean(ReactiveCircuitBreakerFactory.class);
            Mono<String> nested = factory.create("nested").run(Mono.just("nested ran"));
            Mono<String> outer = factory.create("inventory").run(Mono.defer(() -> {
                gate.close();
                return nested;
            }));
            StepVerifier.create(outer).expectNext("nested ran").verifyComplete();
            assertThat(gate.inFlight()).isZero();
        });
    }

    @Test
    void theAdmittedMarkIsTheOneAnnotatedReactiveMethodsUse() throws Exception {
        Field key = ReactorMethodSupport.class.getDeclaredField("ADMITTED_KEY");
        key.setAccessible(true);
        assertThat(ResilienceReactiveCloudCircuitBreaker.ADMITTED_KEY).isEqualTo(key.get(null));
    }
}

package dev.resilience.spring.observation;

import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.interceptor.MethodObservationSupport;
import dev.resilience.spring.reactive.ResilienceReactiveAutoConfiguration;
import dev.resilience.timeout.TimeoutExceededException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * One observation per protected call and one child per retry attempt, on every path: synchronous, CompletionStage on a
 * thread-pool bulkhead, timeout, Mono and Flux.
 */
class MethodObservationTest {

    /** Records the contexts of stopped observations, in the order they stopped. */
    static final class Stopped implements ObservationHandler<ResilienceObservationContext> {
        final List<ResilienceObservationContext> contexts = new CopyOnWriteArrayList<>();

        @Override
        public void onStop(ResilienceObservationContext context) {
            contexts.add(context);
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof ResilienceObservationContext;
        }

        List<ResilienceObservationContext> named(String name) {
            return contexts.stream().filter(c -> c.getName().equals(name)).toList();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Observed {
        @Bean
        Stopped stopped() {
            return new Stopped();
        }

        @Bean
        TestObservationRegistry observationRegistry(Stopped stopped) {
            TestObservationRegistry registry = TestObservationRegistry.create();
            registry.observationConfig().observationHandler(stopped);
            return registry;
        }

        @Bean
        ObservedService observedService(ObservationRegistry registry) {
            return new ObservedService(registry);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class NotObserved {
        @Bean
        ObservedService observedService() {
            return new ObservedService(ObservationRegistry.NOOP);
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceReactiveAutoConfiguration.class, ResilienceObservationAutoConfiguration.class))
            .withPropertyValues("resilience.retry.instances.payments.max-attempts=3",
                    "resilience.retry.instances.payments.wait-duration=0s",
                    "resilience.thread-pool-bulkhead.instances.reports.core-thread-pool-size=1",
                    "resilience.thread-pool-bulkhead.instances.reports.max-thread-pool-size=1",
                    // Real time: the one path that needs a timer to fire; generous against a slow machine, short to wait.
                    "resilience.timeout.instances.slow.timeout-duration=100ms");

    private void observed(ContextConsumer<AssertableApplicationContext> test) {
        runner.withUserConfiguration(Observed.class).run(test);
    }

    private static void assertAttemptsOf(ResilienceObservationContext call, List<ResilienceObservationContext> attempts,
                                         String... outcomes) {
        assertThat(attempts).hasSize(outcomes.length);
        for (int i = 0; i < outcomes.length; i++) {
            ResilienceObservationContext attempt = attempts.get(i);
            assertThat(attempt.getAttempt()).isEqualTo(i + 1);
            assertThat(attempt.getOutcome()).isEqualTo(outcomes[i]);
            assertThat(attempt.getKind()).isEqualTo("retry");
            assertThat(attempt.getInstanceName()).isEqualTo("payments");
            assertThat(attempt.getParentObservation()).isNotNull();
            assertThat(attempt.getParentObservation().getContextView()).isSameAs(call);
        }
    }

    @Test
    void aSynchronousCallWithARetryIsOneObservationWithAChildPerAttempt() {
        observed(context -> {
            TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
            Stopped stopped = context.getBean(Stopped.class);
            ObservedService service = context.getBean(ObservedService.class);

            assertThat(service.failsOnce()).isEqualTo("paid");

            TestObservationRegistryAssert.assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo("resilience.call", 1)
                    .hasNumberOfObservationsWithNameEqualTo("resilience.attempt", 2)
                    .hasObservationWithNameEqualTo("resilience.call").that()
                    .hasLowCardinalityKeyValue("kind", "retry").hasLowCardinalityKeyValue("name", "payments")
                    .hasLowCardinalityKeyValue("outcome", "success").hasContextualNameEqualTo("ObservedService.failsOnce")
                    .hasBeenStarted().hasBeenStopped();
            ResilienceObservationContext call = stopped.named("resilience.call").get(0);
            assertAttemptsOf(call, stopped.named("resilience.attempt"), "error", "success");
            assertThat(stopped.named("resilience.attempt").get(1).getHighCardinalityKeyValue("attempt").getValue()).isEqualTo("2");
            // Inside each attempt, its observation is the current one: the method's own observations become its children.
            assertThat(service.currentInside()).extracting(Observation::getContext)
                    .containsExactlyElementsOf(stopped.named("resilience.attempt"));
        });
    }

    @Test
    void aCallWithoutARetryHasNoAttemptObservationsAndARejectionIsItsOutcome() {
        observed(context -> {
            TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
            ObservedService service = context.getBean(ObservedService.class);
            assertThat(service.guarded()).isEqualTo("in stock");
            context.getBean(ResilienceRegistries.class).circuitBreakers().get("inventory").transitionToForcedOpenState();
            assertThatThrownBy(service::guarded).isInstanceOf(CallNotPermittedException.class);

            TestObservationRegistryAssert.assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo("resilience.call", 2)
                    .hasNumberOfObservationsWithNameEqualTo("resilience.attempt", 0);
            assertThat(context.getBean(Stopped.class).named("resilience.call"))
                    .extracting(ResilienceObservationContext::getKind, ResilienceObservationContext::getInstanceName,
                            ResilienceObservationContext::getOutcome)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("circuitbreaker", "inventory", "success"),
                            org.assertj.core.groups.Tuple.tuple("circuitbreaker", "inventory", "rejected"));
            assertThat(context.getBean(Stopped.class).named("resilience.call").get(1).getError())
                    .isInstanceOf(CallNotPermittedException.class);
        });
    }

    @Test
    void theObservationEndsWithThePoliciesOutcomeBeforeTheFallbackRuns() {
        observed(context -> {
            assertThat(context.getBean(ObservedService.class).guardedWithFallback()).isEqualTo("cached");
            assertThat(context.getBean(Stopped.class).named("resilience.call"))
                    .singleElement().extracting(ResilienceObservationContext::getOutcome).isEqualTo("error");
        });
    }

    @Test
    void attemptsOnAThreadPoolBulkheadAreChildrenOfTheCallAndCurrentOnThePoolThread() {
        observed(context -> {
            Stopped stopped = context.getBean(Stopped.class);
            ObservedService service = context.getBean(ObservedService.class);

            assertThat(service.failsOnceOnThePool().join()).isEqualTo("report");

            await().atMost(Duration.ofSeconds(10)).until(() -> stopped.named("resilience.call").size() == 1);
            ResilienceObservationContext call = stopped.named("resilience.call").get(0);
            assertThat(call.getKind()).isEqualTo("retry,thread-pool-bulkhead");
            assertThat(call.getInstanceName()).isEqualTo("payments,reports");
            assertThat(call.getOutcome()).isEqualTo("success");
            assertAttemptsOf(call, stopped.named("resilience.attempt"), "error", "success");
            assertThat(service.threadsInside()).allSatisfy(thread -> assertThat(thread).doesNotStartWith("main"));
            assertThat(service.currentInside()).extracting(Observation::getContext)
                    .containsExactlyElementsOf(stopped.named("resilience.attempt"));
        });
    }

    @Test
    void aTimedOutAsynchronousCallEndsWithTheTimeoutOutcome() {
        observed(context -> {
            Stopped stopped = context.getBean(Stopped.class);
            assertThatThrownBy(() -> context.getBean(ObservedService.class).neverCompletes().join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(TimeoutExceededException.class);

            await().atMost(Duration.ofSeconds(10)).until(() -> stopped.named("resilience.call").size() == 1);
            assertThat(stopped.named("resilience.call").get(0).getOutcome()).isEqualTo("timeout");
            assertThat(stopped.named("resilience.call").get(0).getKind()).isEqualTo("timeout");
        });
    }

    @Test
    void eachSubscriptionOfAMonoIsACallAndEachResubscriptionAnAttempt() {
        observed(context -> {
            Stopped stopped = context.getBean(Stopped.class);
            ObservedService service = context.getBean(ObservedService.class);
            var mono = service.monoFailsOnce();
            assertThat(stopped.contexts).as("nothing is observed at assembly").isEmpty();

            StepVerifier.create(mono).expectNext("paid").verifyComplete();

            await().atMost(Duration.ofSeconds(10)).until(() -> stopped.named("resilience.call").size() == 1);
            ResilienceObservationContext call = stopped.named("resilience.call").get(0);
            assertThat(call.getOutcome()).isEqualTo("success");
            assertAttemptsOf(call, stopped.named("resilience.attempt"), "error", "success");
        });
    }

    @Test
    void aFluxIsObservedPerSubscriptionToo() {
        observed(context -> {
            Stopped stopped = context.getBean(Stopped.class);
            StepVerifier.create(context.getBean(ObservedService.class).fluxFailsOnce())
                    .expectNext("paid", "more").verifyComplete();

            await().atMost(Duration.ofSeconds(10)).until(() -> stopped.named("resilience.call").size() == 1);
            assertAttemptsOf(stopped.named("resilience.call").get(0), stopped.named("resilience.attempt"), "error", "success");
        });
    }

    @Test
    void withoutAnObservationRegistryNothingObservesCalls() {
        runner.withUserConfiguration(NotObserved.class).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(MethodObservationSupport.class);
            assertThat(context.getBean(ObservedService.class).failsOnce()).isEqualTo("paid");
        });
    }
}

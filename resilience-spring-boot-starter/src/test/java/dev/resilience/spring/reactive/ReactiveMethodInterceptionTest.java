package dev.resilience.spring.reactive;

import dev.resilience.ShutdownInProgressException;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.core.ManualClock;
import dev.resilience.spring.autoconfigure.RetryConfigCustomizer;
import dev.resilience.core.ShutdownGate;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.timeout.TimeoutExceededException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.AopTestUtils;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Annotated methods returning {@code Mono}/{@code Flux} are protected per subscription: nothing happens when the
 * method is called, each subscription is one call through the policies, a retry re-subscribes.
 */
class ReactiveMethodInterceptionTest {

    private static final Duration VERIFY = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofMillis(100);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class, ResilienceReactiveAutoConfiguration.class))
            .withUserConfiguration(Config.class)
            .withPropertyValues(
                    "resilience.circuitbreaker.instances.breaker.sliding-window-size=4",
                    "resilience.circuitbreaker.instances.breaker.minimum-number-of-calls=4",
                    "resilience.circuitbreaker.instances.ignoring.ignore-exceptions=java.lang.IllegalArgumentException",
                    "resilience.retry.instances.three.max-attempts=3",
                    "resilience.retry.instances.three.wait-duration=100ms",
                    "resilience.timeout.instances.short.timeout-duration=1s",
                    "resilience.bulkhead.instances.four.max-concurrent-calls=4",
                    "resilience.bulkhead.instances.four.max-wait-duration=0s",
                    "resilience.ratelimiter.instances.two.limit-for-period=2",
                    "resilience.ratelimiter.instances.two.limit-refresh-period=1h",
                    "resilience.ratelimiter.instances.two.timeout-duration=0s");

    @Configuration(proxyBeanMethods = false)
    static class Config {
        @Bean
        ManualClock resilienceClock() {
            return new ManualClock();
        }

        /** Later attempts start on the thread that advances the clock, so each step of a test is deterministic. */
        @Bean
        RetryConfigCustomizer attemptsOnTheAdvancingThread() {
            return (name, builder) -> builder.asyncExecutor(Runnable::run);
        }

        @Bean
        ReactiveServices.Patterns patterns() {
            return new ReactiveServices.Patterns();
        }
    }

    private static ReactiveServices.Patterns service(AssertableApplicationContext context) {
        return context.getBean(ReactiveServices.Patterns.class);
    }

    private static ReactiveServices.Patterns state(AssertableApplicationContext context) {
        return AopTestUtils.getUltimateTargetObject(service(context));
    }

    private static ResilienceRegistries registries(AssertableApplicationContext context) {
        return context.getBean(ResilienceRegistries.class);
    }

    private static ManualClock clock(AssertableApplicationContext context) {
        return context.getBean(ManualClock.class);
    }

    @Test
    void callingTheMethodWithoutSubscribingRecordsNothing() {
        runner.run(context -> {
            for (int i = 0; i < 5; i++) {
                service(context).failing();
                service(context).limited();
                service(context).held();
            }
            assertThat(state(context).calls).hasValue(15);
            assertThat(state(context).subscriptions).hasValue(0);
            assertThat(registries(context).circuitBreakers().get("breaker").metrics().bufferedCalls()).isZero();
            assertThat(registries(context).circuitBreakers().get("breaker").state()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(registries(context).rateLimiters().get("two").metrics().availablePermissions()).isEqualTo(2);
            assertThat(registries(context).bulkheads().get("four").metrics().permittedCalls()).isZero();
            assertThat(context.getBean(ShutdownGate.class).inFlight()).isZero();
        });
    }

    @Test
    void failingSubscriptionsOpenTheBreakerAndTheNextIsRejectedWithoutSubscribingTheSource() {
        runner.run(context -> {
            Mono<String> mono = service(context).failing();
            for (int i = 0; i < 4; i++) {
                StepVerifier.create(mono).expectErrorMessage("down").verify(VERIFY);
            }
            assertThat(registries(context).circuitBreakers().get("breaker").state()).isEqualTo(CircuitBreaker.State.OPEN);

            StepVerifier.create(mono).expectError(CallNotPermittedException.class).verify(VERIFY);
            assertThat(state(context).subscriptions).hasValue(4);
            assertThat(state(context).calls).hasValue(1);
        });
    }

    @Test
    void anErrorMidStreamOfAFluxIsOneFailure() {
        runner.run(context -> {
            StepVerifier.create(service(context).failingFlux())
                    .expectNext("a", "b").expectErrorMessage("down mid-stream").verify(VERIFY);
            assertThat(registries(context).circuitBreakers().get("breaker").metrics().failedCalls()).isEqualTo(1);
        });
    }

    @Test
    void retryResubscribesExactlyMaxAttemptsTimesWithoutCallingTheMethodAgain() {
        runner.run(context -> {
            ManualClock clock = clock(context);
            StepVerifier.create(service(context).retried())
                    .then(() -> assertThat(state(context).subscriptions).hasValue(1))
                    .then(() -> clock.advance(WAIT))
                    .then(() -> assertThat(state(context).subscriptions).hasValue(2))
                    .then(() -> clock.advance(WAIT))
                    .expectErrorMessage("down").verify(VERIFY);
            clock.advance(Duration.ofSeconds(10));
            assertThat(state(context).subscriptions).hasValue(3);
            assertThat(state(context).calls).hasValue(1);
            assertThat(registries(context).retries().get("three").metrics().failedCallsWithRetry()).isEqualTo(1);
        });
    }

    @Test
    void retryOfAFluxStartsItAgainFromItsBeginning() {
        runner.run(context -> {
            ManualClock clock = clock(context);
            StepVerifier.create(service(context).retriedFlux())
                    .expectNext("a")
                    .then(() -> clock.advance(WAIT))
                    .expectNext("a")
                    .then(() -> clock.advance(WAIT))
                    .expectNext("a")
                    .expectErrorMessage("down").verify(VERIFY);
            assertThat(state(context).subscriptions).hasValue(3);
        });
    }

    @Test
    void aMethodThrowingInsteadOfReturningAPublisherFailsEachSubscriptionThroughThePolicies() {
        runner.run(context -> {
            Mono<String> mono = service(context).throwsInsteadOfReturning();
            assertThat(registries(context).retries().get("three").metrics().failedCallsWithRetry()).isZero();

            StepVerifier.create(mono)
                    .then(() -> clock(context).advance(WAIT))
                    .then(() -> clock(context).advance(WAIT))
                    .expectErrorMessage("thrown at assembly").verify(VERIFY);
            assertThat(state(context).calls).hasValue(1);
            assertThat(registries(context).retries().get("three").metrics().failedCallsWithRetry()).isEqualTo(1);
        });
    }

    @Test
    void timeoutEndsAMonoThatNeverSignalsWithTimeoutExceededAndCancelsIt() {
        runner.run(context -> {
            StepVerifier.create(service(context).never())
                    .then(() -> clock(context).advance(Duration.ofMillis(999)))
                    .expectNoEvent(Duration.ZERO)
                    .then(() -> clock(context).advance(Duration.ofMillis(1)))
                    .expectError(TimeoutExceededException.class).verify(VERIFY);
            assertThat(state(context).cancellations).hasValue(1);
            assertThat(registries(context).timeouts().get("short").metrics().timedOutCalls()).isEqualTo(1);
        });
    }

    @Test
    void timeoutBoundsAWholeFluxSubscription() {
        runner.run(context -> {
            StepVerifier.create(service(context).neverEndingFlux())
                    .expectNext("first")
                    .then(() -> clock(context).advance(Duration.ofSeconds(1)))
                    .expectError(TimeoutExceededException.class).verify(VERIFY);
        });
    }

    @Test
    void bulkheadHoldsEachPermitUntilItsSubscriptionEndsWithExactCountsUnderConcurrentSubscribers() {
        runner.run(context -> {
            ReactiveServices.Patterns service = service(context);
            dev.resilience.bulkhead.Bulkhead bulkhead = registries(context).bulkheads().get("four");
            int subscribers = 12;
            ConcurrentLinkedQueue<Throwable> rejected = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> values = new ConcurrentLinkedQueue<>();
            CountDownLatch ended = new CountDownLatch(subscribers);
            CyclicBarrier start = new CyclicBarrier(subscribers);
            Mono<String> mono = service.held();
            ExecutorService threads = Executors.newFixedThreadPool(subscribers);
            try {
                for (int i = 0; i < subscribers; i++) {
                    threads.execute(() -> {
                        try {
                            start.await(5, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        mono.subscribe(values::add, error -> {
                            rejected.add(error);
                            ended.countDown();
                        }, ended::countDown);
                    });
                }
                // Twelve subscribed at once to a bulkhead of four: four hold a permit while their source runs.
                org.awaitility.Awaitility.await().atMost(VERIFY)
                        .until(() -> rejected.size() + state(context).holding.get() == subscribers);
                assertThat(rejected).hasSize(subscribers - 4).allMatch(BulkheadFullException.class::isInstance);
                assertThat(state(context).holding).hasValue(4);
                assertThat(bulkhead.metrics().availableConcurrentCalls()).isZero();

                state(context).release.tryEmitEmpty();
                assertThat(ended.await(5, TimeUnit.SECONDS)).isTrue();
                assertThat(values).hasSize(4).containsOnly("done");
                assertThat(state(context).peakHolding).hasValue(4);
                assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(4);
                assertThat(bulkhead.metrics().permittedCalls()).isEqualTo(4);
                assertThat(bulkhead.metrics().rejectedCalls()).isEqualTo(subscribers - 4);
            } finally {
                threads.shutdownNow();
            }
        });
    }

    @Test
    void bulkheadPermitIsGivenBackWhenTheSubscriptionIsCancelled() {
        runner.run(context -> {
            dev.resilience.bulkhead.Bulkhead bulkhead = registries(context).bulkheads().get("four");
            Mono<String> mono = service(context).held();
            List<Disposable> subscriptions = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                subscriptions.add(mono.subscribe());
            }
            assertThat(bulkhead.metrics().availableConcurrentCalls()).isZero();
            StepVerifier.create(mono).expectError(BulkheadFullException.class).verify(VERIFY);

            subscriptions.forEach(Disposable::dispose);

            assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(4);
            assertThat(state(context).holding).hasValue(0);
            assertThat(context.getBean(ShutdownGate.class).inFlight()).isZero();
        });
    }

    @Test
    void rateLimiterIsChargedPerSubscriptionNotPerCall() {
        runner.run(context -> {
            Mono<String> mono = service(context).limited();
            service(context).limited();
            service(context).limited();
            assertThat(registries(context).rateLimiters().get("two").metrics().availablePermissions()).isEqualTo(2);

            StepVerifier.create(mono).expectNext("permitted").verifyComplete();
            StepVerifier.create(mono).expectNext("permitted").verifyComplete();
            StepVerifier.create(mono).expectError(RequestNotPermittedException.class).verify(VERIFY);
            assertThat(state(context).subscriptions).hasValue(2);
        });
    }

    @Test
    void theDeadlineOfAnAnnotatedMonoFlowsIntoANestedAnnotatedMono() {
        runner.run(context -> {
            ReactiveServices.Patterns service = service(context);
            // The nested method is called (and its Mono subscribed) while the outer subscription's attempt subscribes.
            StepVerifier.create(service.withinTimeout(service)).expectNext("1000").expectComplete().verify(VERIFY);
            StepVerifier.create(service.remaining()).expectNext("none").expectComplete().verify(VERIFY);
            assertThat(registries(context).circuitBreakers().get("nested").metrics().successfulCalls()).isEqualTo(2);
        });
    }

    @Test
    void aMethodReturningPublisherIsProtectedPerSubscriptionToo() {
        runner.run(context -> {
            var publisher = service(context).limitedPublisher();
            assertThat(registries(context).rateLimiters().get("two").metrics().availablePermissions()).isEqualTo(2);
            StepVerifier.create(publisher).expectNext("p").verifyComplete();
            assertThat(registries(context).rateLimiters().get("two").metrics().availablePermissions()).isEqualTo(1);
        });
    }

    @Test
    void aFallbackReturningMonoReplacesTheFailedSubscriptionWithTheArgumentsAndTheException() {
        runner.run(context -> {
            StepVerifier.create(service(context).withFallback("sku-1"))
                    .expectNext("fallback for sku-1: down").verifyComplete();
            assertThat(registries(context).circuitBreakers().get("with-fallback").metrics().failedCalls()).isEqualTo(1);
        });
    }

    @Test
    void anExceptionTheBreakerIgnoresNeverReachesTheFallback() {
        runner.run(context -> {
            StepVerifier.create(service(context).ignoredFailure())
                    .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(IllegalArgumentException.class).hasMessage("not found"))
                    .verify(VERIFY);
            assertThat(registries(context).circuitBreakers().get("ignoring").metrics().totalIgnoredCalls()).isEqualTo(1);
        });
    }

    @Test
    void aFallbackReturningFluxRunsOnceAfterTheRetriesAreExhausted() {
        runner.run(context -> {
            StepVerifier.create(service(context).fluxWithFallback())
                    .then(() -> clock(context).advance(WAIT))
                    .then(() -> assertThat(state(context).subscriptions).hasValue(2))
                    .then(() -> clock(context).advance(WAIT))
                    .expectNext("x", "y").verifyComplete();
            assertThat(state(context).subscriptions).hasValue(3);
        });
    }

    @Test
    void theShutdownGateCountsASubscriptionUntilItEndsOrIsCancelled() {
        runner.run(context -> {
            ShutdownGate gate = context.getBean(ShutdownGate.class);
            Mono<String> mono = service(context).held();
            assertThat(gate.inFlight()).isZero();

            Disposable first = mono.subscribe();
            Disposable second = mono.subscribe();
            assertThat(gate.inFlight()).isEqualTo(2);
            first.dispose();
            assertThat(gate.inFlight()).isEqualTo(1);
            state(context).release.tryEmitEmpty();
            assertThat(second.isDisposed()).isTrue();
            assertThat(gate.inFlight()).isZero();
        });
    }

    @Test
    void onceShutdownBeginsANewSubscriptionEndsWithShutdownInProgressAsAnErrorSignal() {
        runner.run(context -> {
            ShutdownGate gate = context.getBean(ShutdownGate.class);
            Mono<String> assembledBefore = service(context).limited();
            gate.close();

            Mono<String> assembledAfter = service(context).limited();
            StepVerifier.create(assembledBefore).expectError(ShutdownInProgressException.class).verify(VERIFY);
            StepVerifier.create(assembledAfter).expectError(ShutdownInProgressException.class).verify(VERIFY);
            StepVerifier.create(service(context).withFallback("sku")).expectError(ShutdownInProgressException.class).verify(VERIFY);
            assertThat(state(context).subscriptions).hasValue(0);
            assertThat(gate.inFlight()).isZero();
        });
    }

    @Test
    void aSubscriptionMadeInsideAnAdmittedOneStillRunsOnceShutdownBegins() {
        runner.run(context -> {
            ShutdownGate gate = context.getBean(ShutdownGate.class);
            ReactiveServices.Patterns service = service(context);
            List<String> values = new ArrayList<>();
            Disposable outer = service.outer(service).subscribe(values::add);
            assertThat(gate.inFlight()).isEqualTo(1);

            gate.close();
            state(context).release.tryEmitEmpty();

            assertThat(values).containsExactly("inner done");
            assertThat(outer.isDisposed()).isTrue();
            assertThat(gate.inFlight()).isZero();
        });
    }

    @Test
    void aFluxSubscriptionIsCountedByTheGateToo() {
        runner.run(context -> {
            ShutdownGate gate = context.getBean(ShutdownGate.class);
            Flux<String> flux = service(context).neverEndingFlux();
            Disposable subscription = flux.subscribe();
            assertThat(gate.inFlight()).isEqualTo(1);
            subscription.dispose();
            assertThat(gate.inFlight()).isZero();
        });
    }
}

package dev.resilience.reactor;

import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ReactorCircuitBreakerTest {

    private static final Duration VERIFY = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock();
    private final Probe probe = new Probe();

    private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
        return CircuitBreaker.of("inventory", config.slidingWindowSize(10).minimumNumberOfCalls(10).build(), clock);
    }

    private CircuitBreaker breaker() {
        return breaker(CircuitBreakerConfig.builder());
    }

    @Test
    void assemblyWithoutSubscriptionRecordsNothingAndDoesNotSubscribe() {
        CircuitBreaker breaker = breaker();
        breaker.transitionToOpenState();
        ReactorResilience protect = ReactorResilience.of(breaker);

        Mono<String> mono = probe.mono(() -> Mono.just("a")).transform(protect::mono);
        Flux<String> flux = probe.flux(() -> Flux.just("a")).transform(protect::flux);

        assertThat(mono).isNotNull();
        assertThat(flux).isNotNull();
        assertThat(probe.subscriptions()).isZero();
        assertThat(breaker.metrics().notPermittedCalls()).isZero();
        assertThat(breaker.metrics().bufferedCalls()).isZero();
    }

    @Test
    void monoValueIsOneSuccess() {
        CircuitBreaker breaker = breaker();

        StepVerifier.create(Mono.just("stock").transform(ReactorResilience.of(breaker)::mono))
                .expectNext("stock").expectComplete().verify(VERIFY);

        assertThat(counts(breaker.metrics())).containsExactly(1L, 1L, 0L, 0L);
    }

    @Test
    void emptyMonoIsOneSuccess() {
        CircuitBreaker breaker = breaker();

        StepVerifier.create(Mono.<String>empty().transform(ReactorResilience.of(breaker)::mono))
                .expectComplete().verify(VERIFY);

        assertThat(counts(breaker.metrics())).containsExactly(1L, 1L, 0L, 0L);
    }

    @Test
    void monoValueIsRecordedBeforeItReachesTheSubscriber() {
        CircuitBreaker breaker = breaker();

        StepVerifier.create(Mono.just("stock").transform(ReactorResilience.of(breaker)::mono))
                .assertNext(value -> assertThat(breaker.metrics().successfulCalls()).isEqualTo(1))
                .expectComplete().verify(VERIFY);
    }

    @Test
    void monoValueArrivingLaterIsRecordedBeforeItReachesTheSubscriber() {
        CircuitBreaker breaker = breaker();
        Sinks.One<String> later = Sinks.one();

        StepVerifier.create(later.asMono().transform(ReactorResilience.of(breaker)::mono))
                .then(() -> later.tryEmitValue("stock"))
                .assertNext(value -> assertThat(breaker.metrics().successfulCalls()).isEqualTo(1))
                .expectComplete().verify(VERIFY);
    }

    @Test
    void fluxCompletingLaterIsRecordedBeforeTheSubscriberSeesTheCompletion() {
        CircuitBreaker breaker = breaker();
        Sinks.Empty<String> later = Sinks.empty();
        long[] successesAtCompletion = {-1};

        StepVerifier.create(later.asMono().flux().transform(ReactorResilience.of(breaker)::flux)
                        .doOnComplete(() -> successesAtCompletion[0] = breaker.metrics().successfulCalls()))
                .then(later::tryEmitEmpty)
                .expectComplete().verify(VERIFY);

        assertThat(successesAtCompletion[0]).isEqualTo(1);
    }

    @Test
    void monoErrorIsOneFailureAndPassesThroughUnchanged() {
        CircuitBreaker breaker = breaker();
        IOException failure = new IOException("down");

        StepVerifier.create(Mono.<String>error(failure).transform(ReactorResilience.of(breaker)::mono))
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(failure)).verify(VERIFY);

        assertThat(counts(breaker.metrics())).containsExactly(1L, 0L, 1L, 0L);
    }

    @Test
    void ignoredExceptionIsNeitherSuccessNorFailure() {
        CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().ignoreExceptions(IllegalArgumentException.class));

        StepVerifier.create(Mono.<String>error(new IllegalArgumentException("bad sku"))
                        .transform(ReactorResilience.of(breaker)::mono))
                .expectError(IllegalArgumentException.class).verify(VERIFY);

        assertThat(counts(breaker.metrics())).containsExactly(0L, 0L, 0L, 1L);
    }

    @Test
    void resultMatchingTheRecordResultPredicateIsAFailure() {
        CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().recordResult("unavailable"::equals));

        StepVerifier.create(Mono.just("unavailable").transform(ReactorResilience.of(breaker)::mono))
                .expectNext("unavailable").expectComplete().verify(VERIFY);

        assertThat(counts(breaker.metrics())).containsExactly(1L, 0L, 1L, 0L);
    }

    @Test
    void openBreakerRejectsWithAnErrorSignalWithoutSubscribingToTheSource() {
        CircuitBreaker breaker = breaker();
        breaker.transitionToOpenState();
        Mono<String> protectedMono = probe.mono(() -> Mono.just("a")).transform(ReactorResilience.of(breaker)::mono);

        StepVerifier.create(protectedMono).expectError(CallNotPermittedException.class).verify(VERIFY);
        StepVerifier.create(probe.flux(() -> Flux.just("a")).transform(ReactorResilience.of(breaker)::flux))
                .expectError(CallNotPermittedException.class).verify(VERIFY);

        assertThat(probe.subscriptions()).isZero();
        assertThat(breaker.metrics().notPermittedCalls()).isEqualTo(2);
    }

    @Test
    void eachSubscriptionIsOneCall() {
        CircuitBreaker breaker = breaker();
        Mono<String> protectedMono = probe.mono(() -> Mono.just("a")).transform(ReactorResilience.of(breaker)::mono);

        for (int i = 0; i < 3; i++) {
            StepVerifier.create(protectedMono).expectNext("a").expectComplete().verify(VERIFY);
        }

        assertThat(probe.subscriptions()).isEqualTo(3);
        assertThat(counts(breaker.metrics())).containsExactly(3L, 3L, 0L, 0L);
    }

    @Test
    void fluxCompletionIsOneSuccess() {
        CircuitBreaker breaker = breaker();

        StepVerifier.create(Flux.just(1, 2, 3).transform(ReactorResilience.of(breaker)::flux))
                .expectNext(1, 2, 3).expectComplete().verify(VERIFY);

        assertThat(counts(breaker.metrics())).containsExactly(1L, 1L, 0L, 0L);
    }

    @Test
    void fluxFailingMidStreamIsOneFailureAfterItsElements() {
        CircuitBreaker breaker = breaker();
        Sinks.Many<Integer> stream = Sinks.many().unicast().onBackpressureBuffer();

        StepVerifier.create(stream.asFlux().transform(ReactorResilience.of(breaker)::flux))
                .then(() -> stream.tryEmitNext(1))
                .then(() -> stream.tryEmitNext(2))
                .expectNext(1, 2)
                .then(() -> assertThat(breaker.metrics().bufferedCalls()).isZero())
                .then(() -> stream.tryEmitError(new IOException("reset")))
                .expectError(IOException.class).verify(VERIFY);

        assertThat(counts(breaker.metrics())).containsExactly(1L, 0L, 1L, 0L);
    }

    @Test
    void cancelledMonoIsNotRecordedAsSuccessAndCancelsTheSource() {
        CircuitBreaker breaker = breaker();

        probe.mono(Mono::<String>never).transform(ReactorResilience.of(breaker)::mono).subscribe().dispose();

        assertThat(probe.subscriptions()).isEqualTo(1);
        assertThat(probe.cancellations()).isEqualTo(1);
        assertThat(counts(breaker.metrics())).containsExactly(0L, 0L, 0L, 1L);
    }

    @Test
    void cancelledFromOnSubscribeMakesNoCallAtAll() {
        CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().permittedNumberOfCallsInHalfOpenState(1));
        breaker.transitionToHalfOpenState();

        StepVerifier.create(probe.mono(() -> Mono.just("a")).transform(ReactorResilience.of(breaker)::mono))
                .thenCancel().verify(VERIFY);

        assertThat(probe.subscriptions()).isZero();
        assertThat(counts(breaker.metrics())).containsExactly(0L, 0L, 0L, 0L);
    }

    @Test
    void fluxCancelledMidStreamIsNotRecordedAsSuccess() {
        CircuitBreaker breaker = breaker();

        StepVerifier.create(probe.flux(() -> Flux.just(1, 2, 3).concatWith(Flux.never()))
                        .transform(ReactorResilience.of(breaker)::flux).take(2))
                .expectNext(1, 2).expectComplete().verify(VERIFY);

        assertThat(probe.cancellations()).isEqualTo(1);
        assertThat(counts(breaker.metrics())).containsExactly(0L, 0L, 0L, 1L);
    }

    @Test
    void cancelledTrialCallGivesItsHalfOpenPermitBack() {
        CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().permittedNumberOfCallsInHalfOpenState(1));
        breaker.transitionToHalfOpenState();
        ReactorResilience protect = ReactorResilience.of(breaker);

        Mono.<String>never().transform(protect::mono).subscribe().dispose();
        assertThat(breaker.metrics().totalIgnoredCalls()).isEqualTo(1);

        StepVerifier.create(Mono.just("trial").transform(protect::mono)).expectNext("trial").expectComplete().verify(VERIFY);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.metrics().notPermittedCalls()).isZero();
    }

    @Test
    void slowCallIsTimedFromSubscriptionToTheTerminalSignal() {
        CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder().slowCallDurationThreshold(Duration.ofSeconds(1)));
        Sinks.One<String> reply = Sinks.one();

        StepVerifier.create(reply.asMono().transform(ReactorResilience.of(breaker)::mono))
                .then(() -> clock.advance(Duration.ofMillis(1500)))
                .then(() -> reply.tryEmitValue("late"))
                .expectNext("late").expectComplete().verify(VERIFY);

        CircuitBreakerMetrics metrics = breaker.metrics();
        assertThat(metrics.slowCalls()).isEqualTo(1);
        assertThat(metrics.totalSuccessfulCallsNanos()).isEqualTo(Duration.ofMillis(1500).toNanos());
    }

    /** @return buffered, successful, failed and ignored calls */
    private static long[] counts(CircuitBreakerMetrics metrics) {
        return new long[] {metrics.bufferedCalls(), metrics.successfulCalls(), metrics.failedCalls(), metrics.totalIgnoredCalls()};
    }
}

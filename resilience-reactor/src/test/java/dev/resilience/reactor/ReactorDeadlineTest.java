package dev.resilience.reactor;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.core.ManualClock;
import dev.resilience.deadline.Deadline;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class ReactorDeadlineTest {

    private static final Duration VERIFY = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock();
    private final Probe probe = new Probe();

    private Timeout timeout(String name, Duration limit) {
        return Timeout.of(name, TimeoutConfig.builder().timeoutDuration(limit).build(), clock);
    }

    /**
     * The outer timeout's deadline reaches a protected Mono subscribed later, from a thread outside the outer call
     * (here: the test thread completing a stage), through the Reactor context alone.
     */
    @Test
    void deadlineFlowsIntoANestedProtectedMonoSubscribedLaterOnAnotherThread() {
        ReactorResilience outer = ReactorResilience.of(timeout("outer", Duration.ofMillis(100)));
        ReactorResilience inner = ReactorResilience.of(timeout("inner", Duration.ofSeconds(1)));
        Mono<Long> innerRemaining = Mono.fromSupplier(() -> Deadline.currentOrNull().remainingNanos()).transform(inner::mono);
        CompletableFuture<String> gate = new CompletableFuture<>();

        StepVerifier.create(Mono.fromCompletionStage(gate).flatMap(ignored -> innerRemaining).transform(outer::mono))
                .then(() -> clock.advance(Duration.ofMillis(60)))
                .then(() -> gate.complete("go"))
                .expectNext(Duration.ofMillis(40).toNanos())
                .expectComplete().verify(VERIFY);
    }

    @Test
    void sourceSeesItsDeadlineInTheContextThroughAProtectedMonoWithoutATimeout() {
        ReactorResilience outer = ReactorResilience.of(timeout("outer", Duration.ofMillis(100)));
        ReactorResilience inner = ReactorResilience.of(CircuitBreaker.ofDefaults("inner"));
        Mono<Long> innerRemaining = Mono.deferContextual(context -> Mono.just(ReactorResilience.deadline(context).remainingNanos()))
                .transform(inner::mono);
        CompletableFuture<String> gate = new CompletableFuture<>();

        StepVerifier.create(Mono.fromCompletionStage(gate).flatMap(ignored -> innerRemaining).transform(outer::mono))
                .then(() -> clock.advance(Duration.ofMillis(30)))
                .then(() -> gate.complete("go"))
                .expectNext(Duration.ofMillis(70).toNanos())
                .expectComplete().verify(VERIFY);
    }

    @Test
    void nestedRetryStartsNoAttemptPastTheContextDeadline() {
        Retry retry = Retry.of("inner", RetryConfig.builder().maxAttempts(5).waitDuration(Duration.ofMillis(50)).build(), clock);

        StepVerifier.create(probe.mono(() -> Mono.error(new IOException("down"))).transform(ReactorResilience.of(retry)::mono)
                        .contextWrite(ReactorResilience.withDeadline(Duration.ofMillis(40), clock)))
                .expectError(IOException.class).verify(VERIFY);

        assertThat(probe.subscriptions()).isEqualTo(1);
    }

    @Test
    void innerScopeNeverExtendsTheDeadline() {
        StepVerifier.create(Mono.deferContextual(context -> Mono.just(ReactorResilience.deadline(context).remainingNanos()))
                        .contextWrite(ReactorResilience.withDeadline(Duration.ofSeconds(1), clock))
                        .contextWrite(ReactorResilience.withDeadline(Duration.ofMillis(50), clock)))
                .expectNext(Duration.ofMillis(50).toNanos()).expectComplete().verify(VERIFY);
    }

    @Test
    void deadlineIsComputedAtEachSubscription() {
        Mono<Long> remaining = Mono.deferContextual(context -> Mono.just(ReactorResilience.deadline(context).remainingNanos()))
                .contextWrite(ReactorResilience.withDeadline(Duration.ofMillis(50), clock));
        clock.advance(Duration.ofSeconds(1));

        StepVerifier.create(remaining).expectNext(Duration.ofMillis(50).toNanos()).expectComplete().verify(VERIFY);
    }
}
